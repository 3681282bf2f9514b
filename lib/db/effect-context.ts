import type { LedgerEntry } from '@/lib/compliance/types';
import type { Queryable } from './queryable';
import type { ContactLocation } from '@/lib/compliance/types';
import { contactColumns, contactOfRow, openZip, type Contact, type ContactKeys } from './contact-repository';
import { runFromRow, type RunRow } from './run-repository';

/**
 * What the send-time guard decides on, as stored: the contact's consent
 * ledger (oldest first), the texts from its number the webhook stored but no
 * job has classified yet, its last inbound text and whether a text answered
 * it, its marketing sends since the time asked for, and the states paused
 * for marketing. Read in one statement, so one snapshot of the database: the
 * job that processes a STOP appends the revocation and marks the text
 * processed in one transaction, so a reading sees one or the other, never
 * neither.
 */
export interface GuardRows {
  consent: LedgerEntry[];
  unprocessed: string[];
  inbound: { at: string; answered: boolean } | null;
  marketing: string[];
  paused: string[] | null;
}

/** The guard's readings as columns of a query over contacts `c`, marketing sends counted after `since`. */
function guardColumns(since: string): string {
  return `(select coalesce(json_agg(json_build_object('action', e.action, 'purpose', e.purpose) order by e.occurred_at, e.id), '[]')
            from consent_events e where e.contact_id = c.id) as guard_consent,
          (select coalesce(json_agg(t.body order by t.id), '[]')
            from inbound_texts t where t.phone_hash = c.phone_hash and t.processed_at is null) as guard_unprocessed,
          (select json_build_object('at', m.created_at, 'answered', exists (select 1 from messages o where o.contact_id = m.contact_id
              and o.direction = 'outbound' and o.status in ('sending', 'sent', 'delivered') and o.created_at > m.created_at))
            from messages m where m.contact_id = c.id and m.direction = 'inbound' order by m.created_at desc limit 1) as guard_inbound,
          (select coalesce(json_agg(m.sent_at order by m.sent_at), '[]') from messages m
            where m.contact_id = c.id and m.direction = 'outbound' and m.purpose = 'marketing' and m.sent_at > ${since}) as guard_marketing,
          (select paused_marketing_states from settings) as guard_paused`;
}

const guardOf = (r: Record<string, unknown>): GuardRows => ({
  consent: r.guard_consent as GuardRows['consent'],
  unprocessed: r.guard_unprocessed as string[],
  inbound: r.guard_inbound as GuardRows['inbound'],
  marketing: r.guard_marketing as string[],
  paused: r.guard_paused as string[] | null,
});

/** The guard's readings for one contact; undefined when there is no such contact. */
export async function readGuard(db: Queryable, contactId: string, since: Date): Promise<GuardRows | undefined> {
  const {
    rows: [r],
  } = await db.query(`select ${guardColumns('$2')} from contacts c where c.id = $1`, [contactId, since]);
  return r && guardOf(r);
}

/** A run about to perform an effect: the run, its contact (decrypted) and the guard's readings for that contact. */
export interface EffectContext {
  run: RunRow;
  contact: Contact;
  guard: GuardRows;
}

/**
 * The contexts of many effects in one statement (effects that fall due
 * together share one round trip): per ask, in order, the run, its contact
 * and the guard's readings with marketing sends after `since`; undefined for
 * a run that does not exist.
 */
export async function readEffectContexts(
  db: Queryable,
  keys: ContactKeys,
  asks: readonly { runId: string; since: Date }[],
): Promise<(EffectContext | undefined)[]> {
  const { rows } = await db.query(
    `select a.n, r.*, ${contactColumns('c', 'contact__')}, ${guardColumns('a.since')}
     from unnest($1::uuid[], $2::timestamptz[]) with ordinality as a(run_id, since, n)
     join runs r on r.id = a.run_id
     join contacts c on c.id = r.contact_id`,
    [asks.map((a) => a.runId), asks.map((a) => a.since)],
  );
  const found = new Map<number, EffectContext>();
  for (const r of rows) found.set(Number(r.n), { run: runFromRow(r), contact: contactOfRow(keys, r, 'contact__'), guard: guardOf(r) });
  return asks.map((_, i) => found.get(i + 1));
}

/** A contact of an audience as the send-time guard would see them: where they are (no name read), the guard's readings, and the attributes a campaign's run variables come from. */
export interface AudienceReading {
  contactId: string;
  location: ContactLocation;
  guard: GuardRows;
  /** The contact's segment attributes: what a campaign's enrolment maps its run variables from. */
  attributes: Record<string, unknown>;
}

/**
 * The guard's readings for many contacts in one statement, with marketing
 * sends counted after `since`, and where each contact is (number, zone,
 * state and the ZIP opened from its seal; the name is never read) with its
 * segment attributes. In id order.
 */
export async function readAudienceGuards(
  db: Queryable,
  keys: ContactKeys,
  contactIds: readonly string[],
  since: Date,
): Promise<AudienceReading[]> {
  const { rows } = await db.query(
    `select c.id, c.phone_e164, c.zone, c.state, c.zip_enc, c.segment_attributes, ${guardColumns('$2')}
     from contacts c where c.id = any($1::uuid[]) order by c.id`,
    [contactIds, since],
  );
  return rows.map((r) => ({
    contactId: r.id as string,
    location: {
      phone: (r.phone_e164 as string | null) ?? undefined,
      zone: (r.zone as string | null) ?? undefined,
      state: (r.state as string | null) ?? undefined,
      zip: openZip(keys, r.id as string, r.zip_enc as Buffer | null),
    },
    guard: guardOf(r),
    attributes: r.segment_attributes as Record<string, unknown>,
  }));
}
