import type { ReactNode } from 'react';
import type { TimelineItem } from '@/lib/runs';
import { ContactTime, LocalTime } from '@/components/ui/local-time';
import { formatMoney } from './api';
import styles from './runs.module.css';

const SOURCE_LABEL: Record<string, string> = {
  inbound_sms: 'Reply',
  delivery_status: 'Send result',
  payment: 'Payment event',
  timer: 'Timer',
  api: 'API event',
};

/** A readable name for an inbox event. */
function eventLabel(item: Extract<TimelineItem, { kind: 'event' }>): string {
  const type = item.event;
  if (type.startsWith('xstate.after.')) return 'Time ran out';
  switch (type) {
    case 'reply':
      return 'Contact replied';
    case 'sms.sent':
      return 'Text accepted by the provider';
    case 'sms.failed':
      return 'Text not sent';
    case 'consent.granted':
      return 'Consent found';
    case 'consent.missing':
      return 'No consent on record';
    case 'identity.verified':
      return 'Identity verified';
    case 'identity.failed':
      return 'Identity not verified';
    case 'payment.paid':
      return 'Payment received';
    case 'payment.failed':
      return 'Payment failed';
    case 'window.open':
      return 'Sending window opened';
    default:
      return item.source === 'api' ? `Event "${type}"` : type;
  }
}

/** One entry: what happened, a detail and when (in the reader's zone) on its first line, then what follows. */
function Entry({
  at,
  title,
  meta,
  tone,
  children,
}: {
  at: string;
  title: ReactNode;
  meta?: ReactNode;
  tone?: string;
  children?: ReactNode;
}) {
  return (
    <li className={tone ? `${styles.item} ${tone}` : styles.item}>
      <div className={styles.itemHead}>
        {title}
        {meta !== undefined && <span className="meta">{meta}</span>}
        <span className={styles.itemTime}>
          <LocalTime iso={at} />
        </span>
      </div>
      {children}
    </li>
  );
}

const METHOD_LABEL = { otp: 'one-time code', zip: 'ZIP code', dob: 'date of birth' } as const;

/** One entry; a time the contact's sending window decided is shown in the contact's zone and the reader's. */
function Item({ item, contactZones }: { item: TimelineItem; contactZones: readonly string[] }) {
  switch (item.kind) {
    case 'event':
      return (
        <Entry
          at={item.at}
          title={<strong>{eventLabel(item)}</strong>}
          meta={`${SOURCE_LABEL[item.source] ?? item.source} · ${item.outcome}`}
        >
          {item.detail && <p className={styles.body}>{item.event === 'payment.paid' ? `Amount ${item.detail}` : item.detail}</p>}
        </Entry>
      );
    case 'move':
      return (
        <Entry
          at={item.at}
          title={
            <span>
              {item.from === null ? 'Started at' : 'Moved to'}{' '}
              <code>{item.to === '__unconnected' ? 'end (unconnected output)' : item.to}</code>
            </span>
          }
          meta={
            item.from === null ? undefined : (
              <>
                from <code>{item.from}</code>
              </>
            )
          }
        />
      );
    case 'message':
      return (
        <Entry
          at={item.at}
          tone={styles.message}
          title={<strong>{item.direction === 'outbound' ? 'Text sent' : 'Text received'}</strong>}
          meta={`${item.purpose ?? ''} · ${item.status}`}
        >
          <p className={`${styles.body} ${item.direction === 'inbound' ? styles.inbound : ''}`}>{item.body}</p>
          {item.guard.deferred.map((d) => (
            <p key={d.until} className={styles.guardNote}>
              Deferred until <ContactTime iso={d.until} contactZones={contactZones} />: {d.reason}
            </p>
          ))}
          {item.guard.blocked && <p className={styles.blockedNote}>Blocked because: {item.guard.blocked}</p>}
          {item.statuses.length > 0 && (
            <ul className={styles.sub} aria-label="Delivery status changes">
              {item.statuses.map((s, i) => (
                <li key={i}>
                  {s.status} · <LocalTime iso={s.at} />
                  {s.error && s.status !== 'blocked' ? ` · ${s.error}` : ''}
                </li>
              ))}
            </ul>
          )}
        </Entry>
      );
    case 'deferral':
      return (
        <Entry
          at={item.at}
          tone={styles.guard}
          title={<strong>Text held back</strong>}
          meta={
            <>
              until <ContactTime iso={item.until} contactZones={contactZones} />
            </>
          }
        >
          <p className={styles.guardNote}>{item.reason}</p>
        </Entry>
      );
    case 'payment':
      return (
        <Entry
          at={item.at}
          tone={styles.payment}
          title={<strong>Payment link: {formatMoney(item.amountMinor, item.currency)}</strong>}
          meta={item.status}
        >
          <ul className={styles.sub}>
            <li>{item.description}</li>
            {item.paidAt ? (
              <li>
                Paid <LocalTime iso={item.paidAt} />
              </li>
            ) : (
              <li>
                Expires <LocalTime iso={item.expiresAt} />
              </li>
            )}
            {item.failureReason && <li>Failed: {item.failureReason}</li>}
            {item.cardChecks && (
              <li>
                Card checks:{' '}
                {Object.entries(item.cardChecks)
                  .map(([check, result]) => `${check === 'postalCode' ? 'postal code' : check.toUpperCase()} ${result}`)
                  .join(', ')}
              </li>
            )}
          </ul>
        </Entry>
      );
    case 'verification':
      return (
        <Entry
          at={item.at}
          title={<strong>Identity check ({METHOD_LABEL[item.method]})</strong>}
          meta={`${item.status} · ${item.attemptsLeft} attempt${item.attemptsLeft === 1 ? '' : 's'} left`}
        />
      );
    default: {
      const never: never = item;
      return never;
    }
  }
}

/** The run's events, moves, texts, identity checks and payments, oldest first. */
export function RunTimeline({ items, contactZones }: { items: TimelineItem[]; contactZones: readonly string[] }) {
  if (items.length === 0) return <p className="meta">Nothing has happened in this run yet.</p>;
  return (
    <ol className={styles.timeline} aria-label="Run timeline">
      {items.map((item, i) => (
        <Item key={i} item={item} contactZones={contactZones} />
      ))}
    </ol>
  );
}
