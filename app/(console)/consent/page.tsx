import type { Metadata } from 'next';
import Link from 'next/link';
import styles from '@/components/contacts/contacts.module.css';
import { DataTable, type Column } from '@/components/ui/data-table';
import { LocalTime } from '@/components/ui/local-time';
import { requirePageActor } from '@/lib/auth/page-actor';
import { consentLedgerPage } from '@/lib/data';
import type { ConsentEvent } from '@/lib/db/consent-repository';
import { LEDGER_ACTIONS, LEDGER_PURPOSES, LEDGER_SOURCES, ledgerFilterOf, type LedgerQuery } from '@/lib/contacts';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Consent ledger · Optline' };

const PAGE = 100;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The consent ledger: every event newest first, filtered; whether the hash chain is intact; the CSV export. */
export default async function ConsentPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageActor();
  const raw = await searchParams;
  const query: LedgerQuery = Object.fromEntries(
    Object.entries(raw)
      .map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])
      .filter(([, v]) => v),
  );
  const { filter, problems } = ledgerFilterOf(query, PAGE);
  const { verdict, events, people } = await consentLedgerPage(actor, filter);
  const { before: _before, ...kept } = query;
  const nextHref =
    events.length === PAGE
      ? `/consent?${new URLSearchParams({ ...(kept as Record<string, string>), before: String(events[events.length - 1]!.id) })}`
      : null;
  const filtered = Object.keys(kept).length > 0;

  const columns: Column<ConsentEvent>[] = [
    { header: '#', className: styles.mono, cell: (e) => e.id },
    { header: 'When', cell: (e) => <LocalTime iso={e.occurredAt.toISOString()} /> },
    {
      header: 'Who',
      cell: (e) => {
        const person = people.get(e.contactId);
        return (
          <>
            <Link href={`/contacts/${e.contactId}`}>{person?.phone ?? 'erased contact'}</Link>
            {person?.name && <div className="meta">{person.name}</div>}
          </>
        );
      },
    },
    {
      header: 'Event',
      cell: (e) => (
        <>
          <span className={`badge ${e.action === 'grant' ? 'badge-ok' : 'badge-error'}`}>
            {e.action === 'grant' ? `grant ${e.purpose}` : 'revoke all'}
          </span>
          <div className="meta">
            {e.source} · {e.channel}
          </div>
        </>
      ),
    },
    {
      header: 'Evidence',
      className: styles.cellText,
      cell: (e) => (
        <>
          {e.textShown && <div>“{e.textShown}”</div>}
          {e.reply && <div className="meta">Reply: “{e.reply}”</div>}
          {e.sourceRef && <div className="meta">{e.sourceRef}</div>}
        </>
      ),
    },
    { header: 'Recorded by', className: 'meta', cell: (e) => e.recordedBy },
  ];

  return (
    <main className="page">
      <PageHeader
        title="Consent ledger"
        lede="Every consent given or withdrawn, with its evidence, in one append-only chain: each event carries a hash of its content and of the event before it, so any edit or deletion shows."
      />

      <div className={styles.verdict} role="status">
        {verdict.ok ? (
          <span className="badge badge-ok">Chain intact, {verdict.count.toLocaleString()} events</span>
        ) : (
          <span className="badge badge-error">
            Chain broken at event #{verdict.firstBrokenId}: {verdict.reason}
          </span>
        )}
        <a className="btn" href="/api/consent/export.csv" download>
          Export the whole ledger (CSV)
        </a>
      </div>

      <form className={styles.filters} action="/consent" aria-label="Filter the ledger">
        <Select name="action" label="Action" value={query.action} options={LEDGER_ACTIONS} />
        <Select name="purpose" label="Purpose" value={query.purpose} options={LEDGER_PURPOSES} />
        <Select name="source" label="Source" value={query.source} options={LEDGER_SOURCES} />
        <div className="field">
          <label className="field-label" htmlFor="ledger-from">
            From (UTC)
          </label>
          <input id="ledger-from" type="date" name="from" defaultValue={query.from ?? ''} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="ledger-to">
            To (UTC, included)
          </label>
          <input id="ledger-to" type="date" name="to" defaultValue={query.to ?? ''} />
        </div>
        <button type="submit" className="btn">
          Filter
        </button>
      </form>
      {problems.length > 0 && (
        <p className="text-error" role="alert">
          Ignored: {problems.map((p) => `${p.path} ${p.message}`).join('; ')}.
        </p>
      )}

      <DataTable
        label="Consent events, newest first"
        rows={events}
        empty={
          filtered
            ? 'No event matches these filters.'
            : 'The ledger is empty: consent is recorded when contacts are imported or added with evidence, and when someone texts a keyword.'
        }
        columns={columns}
      />
      <div className={styles.pager}>
        <span className="muted">Newest first, {PAGE} a page.</span>
        <span>
          {query.before && (
            <Link className="btn btn-small" href={`/consent?${new URLSearchParams(kept as Record<string, string>)}`}>
              Newest
            </Link>
          )}{' '}
          {nextHref && (
            <Link className="btn btn-small" href={nextHref}>
              Older events
            </Link>
          )}
        </span>
      </div>
    </main>
  );
}

function Select({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: readonly string[] }) {
  const id = `ledger-${name}`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o.replace('_', ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}
