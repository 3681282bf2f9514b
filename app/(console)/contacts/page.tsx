import type { Metadata } from 'next';
import Link from 'next/link';
import { AddContactPanel } from '@/components/contacts/add-contact-panel';
import { ContactTable } from '@/components/contacts/contact-table';
import styles from '@/components/contacts/contacts.module.css';
import { ImportPanel } from '@/components/contacts/import-panel';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { NAME_SCAN_LIMIT } from '@/lib/contacts';
import { decodeCursor, searchResultView } from '@/lib/contacts';
import { contactSearchPage } from '@/lib/data';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Contacts · Optline' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** Contacts: search by number or name, page through, see consent per purpose, add one contact, import a CSV. */
export default async function ContactsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageActor();
  const params = await searchParams;
  const q = one(params.q).slice(0, 200);
  const after = decodeCursor(one(params.cursor));
  const result = searchResultView(await contactSearchPage(actor, { q, ...(after ? { after } : {}) }));
  const nextHref = result.nextCursor ? `/contacts?${new URLSearchParams({ ...(q ? { q } : {}), cursor: result.nextCursor })}` : null;
  const empty = q
    ? `No contact matches “${q}”.`
    : 'No contacts yet: add one or import a CSV file above, or add contacts through the API (POST /api/contacts).';
  return (
    <main className="page">
      <PageHeader title="Contacts" lede="Everyone Optline may text, with the consent the ledger records for each purpose." />
      {can(actor, 'contacts.write') && <AddContactPanel />}
      <ImportPanel />
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">All contacts</h2>
        <form className={styles.searchForm} role="search" action="/contacts">
          <label htmlFor="contact-search" className="visually-hidden">
            Search contacts by phone number or name
          </label>
          <input id="contact-search" type="search" name="q" defaultValue={q} placeholder="Phone number, digits, or name" />
          <button type="submit" className="btn">
            Search
          </button>
          {q && (
            <Link href="/contacts" className="btn">
              Clear
            </Link>
          )}
        </form>
        <ContactTable contacts={result.contacts} empty={empty} canTag={can(actor, 'contacts.write')} />
        <div className={styles.pager}>
          <span className="muted">
            {result.search === 'name' &&
              `Names are encrypted, so a name search reads contacts in turn (up to ${NAME_SCAN_LIMIT.toLocaleString()} a page); this page looked at ${(result.scanned ?? 0).toLocaleString()}.`}
            {result.search === 'phone' && 'Exact number.'}
            {result.search === 'digits' && 'Numbers containing these digits.'}
          </span>
          <span>
            {after && (
              <Link href={q ? `/contacts?${new URLSearchParams({ q })}` : '/contacts'} className="btn btn-small">
                First page
              </Link>
            )}{' '}
            {nextHref && (
              <Link href={nextHref} className="btn btn-small">
                {result.search === 'name' && result.contacts.length === 0 ? 'Keep searching' : 'Next page'}
              </Link>
            )}
          </span>
        </div>
      </section>
    </main>
  );
}
