import type { Queryable } from './queryable';
import { compileSegmentFilter, type SegmentFilter } from './segment-repository';

/**
 * Campaigns, their enrolments and the blocked contacts of their preview
 * (migration *_campaigns.sql states the invariants: one enrolment per
 * contact and campaign, one run per enrolment).
 */

/** Who a campaign is for, with the filter it was frozen to when it was created. */
export type CampaignAudience =
  | { kind: 'segment'; segmentId: string; segmentName: string; filter: SegmentFilter }
  | { kind: 'selection'; contactIds: string[]; filter: SegmentFilter }
  | { kind: 'import'; importId: string; filter: SegmentFilter };

/** When a campaign's runs start: at launch, or at a wall-clock time on a date in each contact's own zone. */
export type CampaignSchedule = { kind: 'now' } | { kind: 'local'; date: string; at: string };

export type CampaignStatus = 'draft' | 'enrolling' | 'enrolled' | 'paused' | 'cancelled';

export interface Campaign {
  id: string;
  name: string;
  flowVersionId: string;
  audience: CampaignAudience;
  schedule: CampaignSchedule;
  /** Run variables from contact attributes: variable name → attribute key. */
  variables: Record<string, string>;
  pacePerSecond: number;
  status: CampaignStatus;
  preview: Record<string, unknown> | null;
  previewedAt: Date | null;
  enrolCursor: string | null;
  launchedAt: Date | null;
  launchedBy: string | null;
  startsAt: Date | null;
  endedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

interface CampaignRow {
  id: string;
  name: string;
  flow_version_id: string;
  audience: CampaignAudience;
  schedule: CampaignSchedule;
  variables: Record<string, string>;
  pace_per_second: number;
  status: CampaignStatus;
  preview: Record<string, unknown> | null;
  previewed_at: Date | null;
  enrol_cursor: string | null;
  launched_at: Date | null;
  launched_by: string | null;
  starts_at: Date | null;
  ended_at: Date | null;
  created_by: string;
  created_at: Date;
}

const campaignOf = (r: CampaignRow): Campaign => ({
  id: r.id,
  name: r.name,
  flowVersionId: r.flow_version_id,
  audience: r.audience,
  schedule: r.schedule,
  variables: r.variables,
  pacePerSecond: r.pace_per_second,
  status: r.status,
  preview: r.preview,
  previewedAt: r.previewed_at,
  enrolCursor: r.enrol_cursor,
  launchedAt: r.launched_at,
  launchedBy: r.launched_by,
  startsAt: r.starts_at,
  endedAt: r.ended_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** A contact the preview blocks, with the rule and the guard's sentence. */
export interface BlockedContact {
  contactId: string;
  rule: string;
  reason: string;
}

/** An enrolment whose run is due to start, with the attributes its variables come from. */
export interface DueEnrolment {
  contactId: string;
  attributes: Record<string, unknown>;
}

/** A campaign's progress, each a count of its enrolled contacts. */
export interface CampaignProgress {
  /** Contacts the audience holds right now (while enrolling) or held when enrolment ended. */
  enrolled: number;
  /** Runs started. */
  started: number;
  firstTextSent: number;
  /** Runs whose text the guard holds until later (quiet hours, a cap). */
  held: number;
  /** Runs whose text the guard blocked, or starts refused. */
  blocked: number;
  replied: number;
  optedOut: number;
  paid: number;
  /** The held texts by when they go and the zone they wait in (the contact's first resolved zone), soonest first. */
  heldUntil: { until: Date; zone: string; count: number }[];
}

const BULK = 5000;

/** Campaigns over a pool or a transaction's client. */
export function campaignRepository(db: Queryable) {
  return {
    /** Stores a draft campaign. */
    async create(input: {
      name: string;
      flowVersionId: string;
      audience: CampaignAudience;
      schedule: CampaignSchedule;
      variables: Record<string, string>;
      pacePerSecond: number;
      createdBy: string;
    }): Promise<Campaign> {
      const { rows } = await db.query<CampaignRow>(
        `insert into campaigns (name, flow_version_id, audience, schedule, variables, pace_per_second, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning *`,
        [
          input.name,
          input.flowVersionId,
          JSON.stringify(input.audience),
          JSON.stringify(input.schedule),
          JSON.stringify(input.variables),
          input.pacePerSecond,
          input.createdBy,
        ],
      );
      return campaignOf(rows[0]!);
    },

    /** A campaign by id; `lock` takes its row lock (inside a transaction), which serialises its enrolment jobs. */
    async get(id: string, options: { lock?: boolean } = {}): Promise<Campaign | undefined> {
      const { rows } = await db.query<CampaignRow>(`select * from campaigns where id = $1${options.lock ? ' for update' : ''}`, [id]);
      return rows[0] && campaignOf(rows[0]);
    },

    /**
     * Takes the campaign's run-start lock for the caller's transaction (an
     * advisory lock, apart from the row lock enrolment batches take); false
     * when another start batch of the campaign holds it.
     */
    async tryLockStarts(id: string): Promise<boolean> {
      const { rows } = await db.query<{ ok: boolean }>(
        `select pg_try_advisory_xact_lock(hashtextextended('optline.campaign.starts:' || $1, 0)) as ok`,
        [id],
      );
      return rows[0]!.ok;
    },

    /** Campaigns, newest first. */
    async list(limit = 100): Promise<Campaign[]> {
      const { rows } = await db.query<CampaignRow>(`select * from campaigns order by created_at desc, id desc limit $1`, [limit]);
      return rows.map(campaignOf);
    },

    /** Forgets the blocked contacts of an earlier preview (a new preview is being written). */
    async clearPreviewBlocked(id: string): Promise<void> {
      await db.query(`delete from campaign_preview_blocked where campaign_id = $1`, [id]);
    },

    /** Adds blocked contacts of the preview being written. */
    async addPreviewBlocked(id: string, blocked: readonly BlockedContact[]): Promise<void> {
      for (let i = 0; i < blocked.length; i += BULK) {
        const chunk = blocked.slice(i, i + BULK);
        await db.query(
          `insert into campaign_preview_blocked (campaign_id, contact_id, rule, reason)
           select $1, * from unnest($2::uuid[], $3::text[], $4::text[])`,
          [id, chunk.map((b) => b.contactId), chunk.map((b) => b.rule), chunk.map((b) => b.reason)],
        );
      }
    },

    /** Stores the preview's summary (what the marketer saw). */
    async savePreview(id: string, preview: Record<string, unknown>, at: Date): Promise<void> {
      await db.query(`update campaigns set preview = $2, previewed_at = $3 where id = $1`, [id, JSON.stringify(preview), at]);
    },

    /** For each attribute key, how many contacts of the filter lack it (run variables that would be missing). */
    async missingAttributes(filter: SegmentFilter, keys: readonly string[]): Promise<Record<string, number>> {
      if (keys.length === 0) return {};
      const where = compileSegmentFilter(filter);
      const values = where.values;
      const cols = keys.map((k, i) => `count(*) filter (where not (c.segment_attributes ? $${values.push(k)})) as m${i}`);
      const { rows } = await db.query<Record<string, string>>(`select ${cols.join(', ')} from contacts c where ${where.sql}`, values);
      return Object.fromEntries(keys.map((k, i) => [k, Number(rows[0]![`m${i}`])]));
    },

    /** A page of the preview's blocked contacts (number, rule, reason) in contact id order after `afterId`. */
    async blockedPage(id: string, page: { afterId?: string; limit: number }) {
      const { rows } = await db.query<{ contact_id: string; phone_e164: string | null; rule: string; reason: string }>(
        `select b.contact_id, c.phone_e164, b.rule, b.reason from campaign_preview_blocked b join contacts c on c.id = b.contact_id
         where b.campaign_id = $1 and ($2::uuid is null or b.contact_id > $2::uuid) order by b.contact_id limit $3`,
        [id, page.afterId ?? null, page.limit],
      );
      return rows.map((r) => ({ contactId: r.contact_id, phone: r.phone_e164, rule: r.rule, reason: r.reason }));
    },

    /** Moves a campaign from one of `from` to `to`; false when it was in none of them. */
    async setStatus(
      id: string,
      to: CampaignStatus,
      from: readonly CampaignStatus[],
      extra: { launchedBy?: string; at?: Date; startsAt?: Date } = {},
    ): Promise<boolean> {
      const { rowCount } = await db.query(
        `update campaigns set status = $2,
           launched_at = case when status = 'draft' and $2 = 'enrolling' then $4 else launched_at end,
           launched_by = coalesce($5, launched_by),
           starts_at = coalesce($6, starts_at),
           ended_at = case when $2 = 'cancelled' then $4 else ended_at end
         where id = $1 and status = any($3::text[])`,
        [id, to, from, extra.at ?? null, extra.launchedBy ?? null, extra.startsAt ?? null],
      );
      return (rowCount ?? 0) > 0;
    },

    /** Enrols contacts (each at most once: a contact already enrolled is left as it is) and moves the cursor; returns how many were new. */
    async enrol(id: string, enrolments: readonly { contactId: string; dueAt: Date }[], cursor: string | null): Promise<number> {
      let added = 0;
      for (let i = 0; i < enrolments.length; i += BULK) {
        const chunk = enrolments.slice(i, i + BULK);
        const { rowCount } = await db.query(
          `insert into campaign_enrolments (campaign_id, contact_id, due_at)
           select $1, * from unnest($2::uuid[], $3::timestamptz[]) on conflict do nothing`,
          [id, chunk.map((e) => e.contactId), chunk.map((e) => e.dueAt)],
        );
        added += rowCount ?? 0;
      }
      await db.query(`update campaigns set enrol_cursor = $2 where id = $1`, [id, cursor]);
      return added;
    },

    /** Up to `limit` enrolments due by `now` whose run has not started, locked (skipping ones another job holds). */
    async dueEnrolments(id: string, now: Date, limit: number): Promise<DueEnrolment[]> {
      const { rows } = await db.query<{ contact_id: string; segment_attributes: Record<string, unknown> }>(
        // The slice first, in the index's order (campaign_enrolments_due_order), then its contacts.
        `with due as (
           select e.contact_id, e.due_at from campaign_enrolments e
           where e.campaign_id = $1 and e.run_id is null and e.start_error is null and e.due_at <= $2
           order by e.due_at, e.contact_id limit $3 for update skip locked)
         select d.contact_id, c.segment_attributes from due d join contacts c on c.id = d.contact_id order by d.due_at, d.contact_id`,
        [id, now, limit],
      );
      return rows.map((r) => ({ contactId: r.contact_id, attributes: r.segment_attributes }));
    },

    /** Records the runs started (or why a start was refused) for enrolments. */
    async markStarted(
      id: string,
      results: readonly ({ contactId: string; runId: string } | { contactId: string; error: string })[],
      at: Date,
    ) {
      if (results.length === 0) return;
      await db.query(
        `update campaign_enrolments e set run_id = u.run_id, start_error = u.error, started_at = $2
         from unnest($3::uuid[], $4::uuid[], $5::text[]) as u(contact_id, run_id, error)
         where e.campaign_id = $1 and e.contact_id = u.contact_id`,
        [
          id,
          at,
          results.map((r) => r.contactId),
          results.map((r) => ('runId' in r ? r.runId : null)),
          results.map((r) => ('error' in r ? r.error : null)),
        ],
      );
    },

    /** The earliest moment the campaign's next start batch may begin (its pace), or null before any run started. */
    async nextStartAt(id: string): Promise<Date | null> {
      const { rows } = await db.query<{ at: Date | null }>(`select next_start_at as at from campaigns where id = $1`, [id]);
      return rows[0]?.at ?? null;
    },

    /** Moves the moment the next start batch may begin (`nextStartAt`). */
    async setNextStartAt(id: string, at: Date): Promise<void> {
      await db.query(`update campaigns set next_start_at = $2 where id = $1`, [id, at]);
    },

    /** The earliest due time among enrolments whose run has not started, or null. */
    async nextDue(id: string): Promise<Date | null> {
      const { rows } = await db.query<{ at: Date | null }>(
        `select min(due_at) as at from campaign_enrolments where campaign_id = $1 and run_id is null and start_error is null`,
        [id],
      );
      return rows[0]?.at ?? null;
    },

    /** The runs of a campaign not finished yet (for a cancel that stops them too). */
    async activeRunIds(id: string): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `select r.id from campaign_enrolments e join runs r on r.id = e.run_id where e.campaign_id = $1 and r.status = 'active'`,
        [id],
      );
      return rows.map((r) => r.id);
    },

    /** A campaign's funnel, from its enrolments, their runs, messages, payments and the consent ledger; `now` decides what is still held. */
    async progress(id: string, now: Date): Promise<CampaignProgress> {
      const { rows } = await db.query<Record<keyof CampaignProgress, string>>(
        `select count(*) as enrolled, count(e.run_id) as started,
           count(*) filter (where s.sent) as "firstTextSent",
           count(*) filter (where not s.sent and exists (select 1 from send_deferrals d where d.run_id = e.run_id and d.until > $2)) as held,
           count(*) filter (where e.start_error is not null or (not s.sent and exists (select 1 from messages m
             where m.run_id = e.run_id and m.direction = 'outbound' and m.status = 'blocked'))) as blocked,
           count(*) filter (where exists (select 1 from messages m where m.run_id = e.run_id and m.direction = 'inbound')) as replied,
           count(*) filter (where e.started_at is not null and exists (select 1 from consent_events ce
             where ce.contact_id = e.contact_id and ce.action = 'revoke' and ce.occurred_at >= e.started_at)) as "optedOut",
           count(*) filter (where exists (select 1 from payments p where p.run_id = e.run_id and p.status = 'paid')) as paid
         from campaign_enrolments e
         cross join lateral (select exists (select 1 from messages m where m.run_id = e.run_id and m.direction = 'outbound'
           and m.status in ('sent', 'delivered')) as sent) s
         where e.campaign_id = $1`,
        [id, now],
      );
      const r = rows[0]!;
      // A held run's latest deferral still ahead says when its text goes.
      const held = await db.query<{ until: Date; waits_in: string; n: string }>(
        `select d.until, coalesce(c.resolved_zones[1], 'UTC') as waits_in, count(*) as n
         from campaign_enrolments e
         join contacts c on c.id = e.contact_id
         cross join lateral (select d.until from send_deferrals d where d.run_id = e.run_id and d.until > $2
           order by d.decided_at desc limit 1) d
         where e.campaign_id = $1 and e.run_id is not null
           and not exists (select 1 from messages m where m.run_id = e.run_id and m.direction = 'outbound' and m.status in ('sent', 'delivered'))
         group by d.until, waits_in order by d.until, waits_in limit 50`,
        [id, now],
      );
      return {
        heldUntil: held.rows.map((h) => ({ until: h.until, zone: h.waits_in, count: Number(h.n) })),
        enrolled: Number(r.enrolled),
        started: Number(r.started),
        firstTextSent: Number(r.firstTextSent),
        held: Number(r.held),
        blocked: Number(r.blocked),
        replied: Number(r.replied),
        optedOut: Number(r.optedOut),
        paid: Number(r.paid),
      };
    },
  };
}

export type CampaignRepository = ReturnType<typeof campaignRepository>;
