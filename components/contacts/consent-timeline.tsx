import type { ConsentEventView } from '@/lib/contacts';
import { ContactTime } from '@/components/ui/local-time';
import styles from './contacts.module.css';

const SOURCE: Record<string, string> = { import: 'CSV import', keyword: 'keyword text', reply: 'reply', web_form: 'web form', api: 'API' };

/** Every ledger event of one contact, in the order they happened (in the contact's zone and the reader's), with its evidence word for word. */
export function ConsentTimeline({ events, contactZones }: { events: ConsentEventView[]; contactZones: readonly string[] }) {
  if (events.length === 0) return <p className="muted">No consent recorded: Optline sends this contact nothing that needs consent.</p>;
  return (
    <ol className={styles.timeline} aria-label="Consent timeline">
      {events.map((e) => (
        <li key={e.id} className={`${styles.event} ${e.action === 'grant' ? styles.eventGrant : styles.eventRevoke}`}>
          <div className={styles.eventHead}>
            <strong>{e.action === 'grant' ? `Granted ${e.purpose}` : 'Revoked (every purpose)'}</strong>
            <ContactTime iso={e.occurredAt} contactZones={contactZones} />
            <span className={styles.eventMeta}>
              via {SOURCE[e.source] ?? e.source} · {e.channel} · recorded by {e.recordedBy} · event #{e.id}
            </span>
          </div>
          {e.textShown !== null && (
            <blockquote className={styles.quote} aria-label="Exact text shown">
              {e.textShown}
            </blockquote>
          )}
          {e.reply !== null && (
            <p className={styles.eventMeta}>
              They replied: <q>{e.reply}</q>
            </p>
          )}
          {(e.sourceRef || typeof e.details.sourceRecord === 'string') && (
            <p className={styles.eventMeta}>
              Source: {e.sourceRef}
              {typeof e.details.sourceRecord === 'string' && ` (record ${e.details.sourceRecord})`}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
