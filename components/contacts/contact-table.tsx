import Link from 'next/link';
import type { ContactSummaryView } from '@/lib/contacts';
import { LocalTime } from '@/components/ui/local-time';
import { ConsentPills } from './consent-pills';

/** The contacts list: number, name, where they are, consent per purpose, when added. */
export function ContactTable({ contacts, empty }: { contacts: ContactSummaryView[]; empty: string }) {
  return (
    <table className="table" aria-label="Contacts">
      <thead>
        <tr>
          <th scope="col">Phone</th>
          <th scope="col">Name</th>
          <th scope="col">State / zone</th>
          <th scope="col">Consent</th>
          <th scope="col">Added</th>
        </tr>
      </thead>
      <tbody>
        {contacts.map((c) => (
          <tr key={c.id}>
            <td>
              <Link href={`/contacts/${c.id}`} className="flow-link">
                {c.phone ?? 'erased contact'}
              </Link>
            </td>
            <td>{c.name ?? <span className="muted">—</span>}</td>
            <td>
              {c.state ?? '—'}
              {c.zone && <div className="meta">{c.zone}</div>}
            </td>
            <td>
              <ConsentPills consent={c.consent} />
            </td>
            <td>
              <LocalTime iso={c.createdAt} />
            </td>
          </tr>
        ))}
        {contacts.length === 0 && (
          <tr>
            <td colSpan={5} className="muted">
              {empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
