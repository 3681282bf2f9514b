import { z } from 'zod';
import type pg from 'pg';
import { guard } from '../../lib/auth/guard';
import { authServices } from '../../lib/auth/request-actor';
import { actorRef, can, type Authenticate } from '../../lib/auth/roles';
import { isUsState } from '../../lib/compliance/states';
import { csvLine } from '../../lib/contacts/csv-write';
import { listAudit, recordAudit, type AuditEntry, type AuditFilter } from '../../lib/db/audit-repository';
import { withTransaction } from '../../lib/db/queryable';
import { settingsRepository, type Settings } from '../../lib/db/settings-repository';
import { AppError } from '../../lib/http/app-error';
import { json, readBody, route } from '../../lib/http/route';

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

function auditFilter(url: URL): AuditFilter {
  const q = url.searchParams;
  const date = (name: string): Date | undefined => {
    const v = q.get(name);
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new AppError('validation_failed', `${name}: "${v}" is not a date like 2026-11-01 or 2026-11-01T09:00:00Z`, { path: name });
    return d;
  };
  const limitText = q.get('limit');
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 10_000)) throw new AppError('validation_failed', `limit: "${limitText}" is not a whole number from 1 to 10000`, { path: 'limit' });
  const beforeText = q.get('before');
  const beforeId = beforeText === null ? undefined : Number(beforeText);
  if (beforeId !== undefined && !Number.isInteger(beforeId)) throw new AppError('validation_failed', `before: "${beforeText}" is not an entry id`, { path: 'before' });
  const from = date('from');
  const to = date('to');
  return {
    ...(q.get('actor') ? { actor: q.get('actor')! } : {}),
    ...(q.get('action') ? { action: q.get('action')! } : {}),
    ...(q.get('subjectType') ? { subjectType: q.get('subjectType')! } : {}),
    ...(q.get('subjectId') ? { subjectId: q.get('subjectId')! } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(beforeId !== undefined ? { beforeId } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/** Settings (brand, keyword replies, paused states) and the audit log. */
export function settingsHandlers(get: () => Promise<SettingsDeps> = authServices) {
  const allow: ReturnType<typeof guard> = (permission, handler) =>
    route(async (...args) => guard((await get()).authenticate)(permission, handler)(...args));

  return {
    getSettings: allow('read', async () => json({ settings: publicSettings(await settingsRepository((await get()).pool).get()) })),

    /** PATCH: any of brand, helpText, stopConfirmationText, startConfirmationText; pausedMarketingStates only by the owner. */
    updateSettings: allow('settings.edit', async (actor, request: Request) => {
      const body = await readBody(request, settingsBody);
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
    listAudit: allow('audit.export', async (_actor, request: Request) => {
      const entries = await listAudit((await get()).pool, auditFilter(new URL(request.url)));
      return json({ entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) });
    }),

    /** GET: the filtered audit log as CSV (up to 10,000 rows a file; page with `before`). The export itself is audited. */
    exportAudit: allow('audit.export', async (actor, request: Request) => {
      const filter = auditFilter(new URL(request.url));
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
