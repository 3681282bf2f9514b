import { z } from 'zod';
import type pg from 'pg';
import { authServices } from '@/lib/auth/request-actor';
import type { Authenticate } from '@/lib/access/roles';
import { exportAuditCsv } from '@/lib/audit';
import { listAudit, type AuditFilter } from '@/lib/db/audit-repository';
import { settingsRepository, type Settings } from '@/lib/db/settings-repository';
import { endpoints, fileResponse, jsonBody, jsonResponse } from '@/lib/http/endpoint';
import { auditEntries, settingsView } from './account-responses';
import { json } from '@/lib/http/route';
import { settingsBody, updateSettings } from '@/lib/settings';

export interface SettingsDeps {
  pool: pg.Pool;
  authenticate: Authenticate;
}

const publicSettings = (s: Settings) => ({ ...s, updatedAt: s.updatedAt.toISOString() });

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
    before: z
      .string()
      .regex(/^\d{1,15}$/, { error: 'is not an entry id' })
      .transform(Number)
      .optional(),
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
    getSettings: endpoint(
      {
        access: 'read',
        doc: {
          id: 'getSettings',
          summary: 'Get the settings',
          description: 'Brand, keyword replies, paused states.',
          responses: { 200: jsonResponse('The settings.', settingsView) },
        },
      },
      async () => json({ settings: publicSettings(await settingsRepository((await get()).pool).get()) }),
    ),

    /** PATCH: any of brand, helpText, stopConfirmationText, startConfirmationText; pausedMarketingStates only by the owner. */
    updateSettings: endpoint(
      {
        access: 'settings.edit',
        body: jsonBody(settingsBody),
        doc: {
          id: 'updateSettings',
          summary: 'Change the settings',
          description: 'Any of brand, helpText, stopConfirmationText, startConfirmationText; pausedMarketingStates only by the owner.',
          example: { brand: 'Acme Dental' },
          responses: { 200: jsonResponse('The settings.', settingsView) },
        },
      },
      async ({ actor, body }) => {
        return json({ settings: publicSettings(await updateSettings((await get()).pool, actor, body)) });
      },
    ),

    /** GET `?actor=&action=&subjectType=&subjectId=&from=&to=&before=&limit=`: newest first. */
    listAudit: endpoint(
      {
        access: 'audit.export',
        query: auditQuery,
        doc: {
          id: 'listAudit',
          summary: 'Read the audit log',
          description: "Newest first, filtered; page with `before` (the last entry's id).",
          responses: { 200: jsonResponse('The entries.', auditEntries) },
        },
      },
      async ({ query: filter }) => {
        const entries = await listAudit((await get()).pool, filter);
        return json({ entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) });
      },
    ),

    /** GET: the filtered audit log as CSV (up to 10,000 rows a file; page with `before`). The export itself is audited. */
    exportAudit: endpoint(
      {
        access: 'audit.export',
        query: auditQuery,
        doc: {
          id: 'exportAudit',
          summary: 'Export the audit log as CSV',
          description: 'The filtered audit log, up to 10,000 rows a file (page with `before`). The export itself is audited.',
          responses: { 200: fileResponse('The CSV file, as an attachment.', 'text/csv') },
        },
      },
      async ({ actor, query: filter }) => {
        const body = await exportAuditCsv((await get()).pool, actor, filter);
        return new Response(body, {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="optline-audit-log.csv"',
            'cache-control': 'no-store',
          },
        });
      },
    ),
  };
}

export const handlers = settingsHandlers();
