import Link from 'next/link';
import type { ContactSummaryView } from '@/lib/contacts';
import { DataTable, type Column } from '@/components/ui/data-table';
import { LocalTime } from '@/components/ui/local-time';
import { ConsentPills } from './consent-pills';

/** The contacts list: number, name, where they are, consent per purpose, when added. */
export function ContactTable({ contacts, empty }: { contacts: ContactSummaryView[]; empty: string }) {
  const columns: Column<ContactSummaryView>[] = [
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
    { header: 'Added', cell: (c) => <LocalTime iso={c.createdAt} /> },
  ];

  return <DataTable label="Contacts" rows={contacts} empty={empty} columns={columns} />;
}
