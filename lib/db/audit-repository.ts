import type { Queryable } from './queryable';
import { sqlFilter } from './sql-filter';

/** One line of the audit log (table `audit_log`, append-only). */
export interface AuditEntry {
  id: number;
  at: Date;
  /** A user id (with the token when one was used), or `system`. */
  actor: string;
  /** What happened, as `subject.verb`: `user.sign_in`, `flow.saved`, `version.approved`, `token.used`, … */
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { at?: Date };

export interface AuditFilter {
  actor?: string;
  /** An action, or its prefix ending in a dot (`flow.`). */
  action?: string;
  subjectType?: string;
  subjectId?: string;
  from?: Date;
  to?: Date;
  /** Entries older than this id (paging backwards). */
  beforeId?: number;
  limit?: number;
}

interface Row {
  id: string;
  at: Date;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  details: Record<string, unknown>;
}

const toEntry = (r: Row): AuditEntry => ({
  id: Number(r.id),
  at: r.at,
  actor: r.actor,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  details: r.details,
});

/** Appends to the audit log; pass the transaction's client so the entry commits with the change it records. */
export async function recordAudit(db: Queryable, entry: NewAuditEntry): Promise<void> {
  await db.query(
    `insert into audit_log (actor, action, subject_type, subject_id, details, at) values ($1, $2, $3, $4, $5, coalesce($6, now()))`,
    [entry.actor, entry.action, entry.subjectType, entry.subjectId, JSON.stringify(entry.details), entry.at ?? null],
  );
}

/** The audit log, newest first, filtered. */
export async function listAudit(db: Queryable, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const f = sqlFilter();
  if (filter.actor) f.add('actor = ?', filter.actor);
  if (filter.action) {
    if (filter.action.endsWith('.'))
      f.add(
        "action like ? || '%'",
        filter.action.replace(/[\\%_]/g, (c) => `\\${c}`),
      );
    else f.add('action = ?', filter.action);
  }
  if (filter.subjectType) f.add('subject_type = ?', filter.subjectType);
  if (filter.subjectId) f.add('subject_id = ?', filter.subjectId);
  if (filter.from) f.add('at >= ?', filter.from);
  if (filter.to) f.add('at < ?', filter.to);
  if (filter.beforeId !== undefined) f.add('id < ?', filter.beforeId);
  const limit = f.param(Math.min(Math.max(filter.limit ?? 200, 1), 10_000));
  const { rows } = await db.query<Row>(
    `select id, at, actor, action, subject_type, subject_id, details from audit_log ${f.where()} order by id desc limit ${limit}`,
    f.values,
  );
  return rows.map(toEntry);
}
