'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { ContactSummaryView } from '@/lib/contacts';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorText } from '@/components/ui/error-text';
import { LocalTime } from '@/components/ui/local-time';
import { useApiRequest } from '@/components/ui/use-api-request';
import { ConsentPills } from './consent-pills';
import styles from './contacts.module.css';

/**
 * The contacts list: number, name, where they are, consent per purpose, tags,
 * when added. With `canTag`, contacts can be picked and tagged together
 * (POST /api/contacts/tags); a segment can then select the tag.
 */
export function ContactTable({ contacts, empty, canTag = false }: { contacts: ContactSummaryView[]; empty: string; canTag?: boolean }) {
  const router = useRouter();
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [tag, setTag] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { loading, error, request } = useApiRequest();
  const toggle = (id: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const pickable = contacts.filter((c) => !c.erased);
  const allPicked = pickable.length > 0 && pickable.every((c) => picked.has(c.id));

  const addTag = async (e: FormEvent) => {
    e.preventDefault();
    const answer = await request<{ tag: string; changed: number }>('/api/contacts/tags', {
      method: 'POST',
      json: { contactIds: [...picked], tag },
    });
    if (!answer) return;
    setDone(`Tagged ${answer.changed} ${answer.changed === 1 ? 'contact' : 'contacts'} “${answer.tag}”.`);
    setPicked(new Set());
    setTag('');
    router.refresh();
  };

  const columns: Column<ContactSummaryView>[] = [
    ...(canTag
      ? [
          {
            header: 'Pick',
            hiddenHeader: true,
            cell: (c: ContactSummaryView) =>
              c.erased ? null : (
                <input
                  type="checkbox"
                  aria-label={`Pick ${c.phone ?? 'contact'}`}
                  checked={picked.has(c.id)}
                  onChange={() => toggle(c.id)}
                />
              ),
          },
        ]
      : []),
    {
      header: 'Phone',
      cell: (c) => (
        <Link href={`/contacts/${c.id}`} className="flow-link">
          {c.phone ?? 'erased contact'}
        </Link>
      ),
    },
    { header: 'Name', cell: (c) => c.name ?? <span className="muted">—</span> },
    {
      header: 'State / zone',
      cell: (c) => (
        <>
          {c.state ?? '—'}
          {c.zone && <div className="meta">{c.zone}</div>}
        </>
      ),
    },
    { header: 'Consent', cell: (c) => <ConsentPills consent={c.consent} /> },
    { header: 'Tags', cell: (c) => (c.tags.length ? c.tags.join(', ') : <span className="muted">—</span>) },
    { header: 'Added', cell: (c) => <LocalTime iso={c.createdAt} /> },
  ];

  return (
    <>
      {canTag && (
        <form className={styles.searchForm} onSubmit={addTag} aria-label="Tag the picked contacts">
          <label>
            <input
              type="checkbox"
              checked={allPicked}
              onChange={() => setPicked(allPicked ? new Set() : new Set(pickable.map((c) => c.id)))}
            />{' '}
            All on this page
          </label>
          <label htmlFor="contact-tag" className="visually-hidden">
            Tag
          </label>
          <input
            id="contact-tag"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            placeholder="Tag, e.g. spring-promo"
            maxLength={40}
          />
          <button type="submit" className="btn" disabled={picked.size === 0 || tag.trim() === '' || loading}>
            Add tag to {picked.size} picked
          </button>
          {done && <span role="status">{done}</span>}
          <ErrorText error={error} />
        </form>
      )}
      <DataTable label="Contacts" rows={contacts} empty={empty} columns={columns} />
    </>
  );
}
