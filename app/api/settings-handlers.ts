import { z } from 'zod';
import type pg from 'pg';
import { authServices } from '../../lib/auth/request-actor';
import { actorRef, can, type Authenticate } from '../../lib/auth/roles';
import { isUsState } from '../../lib/compliance/states';
import { csvLine } from '../../lib/contacts/csv-write';
import { listAudit, recordAudit, type AuditEntry, type AuditFilter } from '../../lib/db/audit-repository';
import { withTransaction } from '../../lib/db/queryable';
import { settingsRepository, type Settings } from '../../lib/db/settings-repository';
import { AppError } from '../../lib/http/app-error';
import { endpoints, jsonBody } from '../../lib/http/endpoint';
import { json } from '../../lib/http/route';

export interface SettingsDeps {
  pool: pg.Pool;
  authenticate: Authenticate;
}

const text = (what: string, max: number) =>
  z.string({ error: `write the ${what}` }).trim().min(1, { error: `write the ${what}` }).max(max, { error: `the ${what} is longer than ${max} characters` });

export const settingsBody = z
  .strictObject({
    brand: text('brand', 80).optional(),
    // CTIA Messaging Principles: HELP answers with the brand, support and how to opt out.
    helpText: text('help text', 320).refine((t) => /\bSTOP\b/.test(t), { error: 'the help text must say how to opt out (e.g. "Reply STOP to opt out")' }).optional(),
    // 47 CFR 64.1200(a)(12): the opt-out confirmation carries no marketing; keep it short and plain.
    stopConfirmationText: text('STOP confirmation', 160).refine((t) => !/https?:\/\/|www\./i.test(t), { error: 'the STOP confirmation may not contain a link: it confirms the opt-out and nothing else' }).optional(),
    startConfirmationText: text('START confirmation', 320).refine((t) => /\bSTOP\b/.test(t), { error: 'the START confirmation must say how to opt out again (e.g. "Reply STOP to opt out")' }).optional(),
    pausedMarketingStates: z
      .array(z.string().trim().toUpperCase().refine(isUsState, { error: (iss) => `${JSON.stringify(iss.input)} is not a US state code like LA` }), { error: 'a list of state codes like ["LA"]' })
      .max(60)
      .transform((s) => [...new Set(s)].sort())
      .optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'send at least one setting to change' });

const publicSettings = (s: Settings) => ({ ...s, updatedAt: s.updatedAt.toISOString() });

const AUDIT_CSV_COLUMNS = ['id', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'details'] as const;

function auditCsvLine(e: AuditEntry): string {
  return csvLine([e.id, e.at.toISOString(), e.actor, e.action, e.subjectType, e.subjectId, JSON.stringify(e.details)]);
}

// Postgres's timestamptz ends in 294276; a date past 9999 is a typo, not a filter.
const auditDate = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const d = new Date(v);
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a date like 2026-11-01 or 2026-11-01T09:00:00Z` });
      return z.NEVER;
    }
    return d;
  })
  .optional();

const filterText = z.string().max(200, { error: 'is longer than 200 characters' }).optional();

/** The audit log's filters, from the query string: `?actor=&action=&subjectType=&subjectId=&from=&to=&before=&limit=`. */
const auditQuery = z
  .object({
    actor: filterText,
    action: filterText,
    subjectType: filterText,
    subjectId: filterText,
    from: auditDate,
    to: auditDate,
    // An entry id is a bigint; a number past 2^53 is no id we issued.
    before: z.string().regex(/^\d{1,15}$/, { error: 'is not an entry id' }).transform(Number).optional(),
    limit: z
      .string()
      .regex(/^\d{1,5}$/, { error: 'is not a whole number from 1 to 10000' })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 10_000, { error: 'is not a whole number from 1 to 10000' })
      .optional(),
  })
  .transform((q): AuditFilter => ({
    ...(q.actor ? { actor: q.actor } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.subjectType ? { subjectType: q.subjectType } : {}),
    ...(q.subjectId ? { subjectId: q.subjectId } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.before !== undefined ? { beforeId: q.before } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
  }));

/** Settings (brand, keyword replies, paused states) and the audit log. */
export function settingsHandlers(get: () => Promise<SettingsDeps> = authServices) {
  const endpoint = endpoints({ authenticate: async (request) => (await get()).authenticate(request) });

  return {
    getSettings: endpoint({ access: 'read' }, async () => json({ settings: publicSettings(await settingsRepository((await get()).pool).get()) })),

    /** PATCH: any of brand, helpText, stopConfirmationText, startConfirmationText; pausedMarketingStates only by the owner. */
    updateSettings: endpoint({ access: 'settings.edit', body: jsonBody(settingsBody) }, async ({ actor, body }) => {
      const { pool } = await get();
      return withTransaction(pool, async (tx) => {
        const repo = settingsRepository(tx);
        const current = await repo.get();
        const pausing = body.pausedMarketingStates !== undefined && body.pausedMarketingStates.join(',') !== current.pausedMarketingStates.join(',');
        if (pausing && !can(actor, 'settings.pause_states')) {
          throw new AppError('forbidden', 'only the owner can pause or resume marketing to a state', { path: 'pausedMarketingStates' });
        }
        const { before, after } = await repo.update(body);
        const changed = (Object.keys(body) as (keyof typeof body)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
        if (changed.length > 0) {
          await recordAudit(tx, {
            actor: actorRef(actor),
            action: pausing ? 'settings.states_paused' : 'settings.changed',
            subjectType: 'settings',
            subjectId: null,
            details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
          });
        }
        return json({ settings: publicSettings(after) });
      });
    }),

    /** GET `?actor=&action=&subjectType=&subjectId=&from=&to=&before=&limit=`: newest first. */
    listAudit: endpoint({ access: 'audit.export', query: auditQuery }, async ({ query: filter }) => {
      const entries = await listAudit((await get()).pool, filter);
      return json({ entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) });
    }),

    /** GET: the filtered audit log as CSV (up to 10,000 rows a file; page with `before`). The export itself is audited. */
    exportAudit: endpoint({ access: 'audit.export', query: auditQuery }, async ({ actor, query: filter }) => {
      const { pool } = await get();
      const entries = await listAudit(pool, { limit: 10_000, ...filter });
      await recordAudit(pool, { actor: actorRef(actor), action: 'audit.exported', subjectType: 'audit_log', subjectId: null, details: { rows: entries.length, filter: { ...filter } } });
      const body = csvLine(AUDIT_CSV_COLUMNS) + entries.map(auditCsvLine).join('');
      return new Response(body, {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="optline-audit-log.csv"', 'cache-control': 'no-store' },
      });
    }),
  };
}

export const handlers = settingsHandlers();
