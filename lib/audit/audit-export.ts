import type pg from 'pg';
import { actorRef, type Actor } from '@/lib/access/roles';
import { csvLine } from '@/lib/contacts/csv-write';
import { listAudit, recordAudit, type AuditEntry, type AuditFilter } from '@/lib/db/audit-repository';

const AUDIT_CSV_COLUMNS = ['id', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'details'] as const;

function auditCsvLine(e: AuditEntry): string {
  return csvLine([e.id, e.at.toISOString(), e.actor, e.action, e.subjectType, e.subjectId, JSON.stringify(e.details)]);
}

/** The filtered audit log as CSV (up to 10,000 rows; page with `beforeId`); the export itself is audited. */
export async function exportAuditCsv(pool: pg.Pool, actor: Actor, filter: AuditFilter): Promise<string> {
  const entries = await listAudit(pool, { limit: 10_000, ...filter });
  await recordAudit(pool, {
    actor: actorRef(actor),
    action: 'audit.exported',
    subjectType: 'audit_log',
    subjectId: null,
    details: { rows: entries.length, filter: { ...filter } },
  });
  return csvLine(AUDIT_CSV_COLUMNS) + entries.map(auditCsvLine).join('');
}
