import type pg from 'pg';
import type { Queryable } from '../queryable';

/** A statement as a repository sent it. */
export interface RecordedStatement {
  text: string;
  values: unknown[];
}

/** A node of `explain (analyze, format json)`'s plan, the fields the tests read. */
export interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  Plans?: PlanNode[];
}

/** A Queryable over `db` that runs every statement and keeps it, to explain afterwards. */
export function recordingQueryable(db: Queryable): { db: Queryable; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const query = (q: string | pg.QueryConfig, values?: unknown[]) => {
    const statement = typeof q === 'string' ? { text: q, values: values ?? [] } : { text: q.text, values: q.values ?? [] };
    statements.push(statement);
    return db.query(statement.text, statement.values);
  };
  return { db: { query } as Queryable, statements };
}

/**
 * The plan of `statement`, explained with `analyze` (so run, then rolled
 * back) as the planner plans it before `tables`' first ANALYZE: their
 * statistics are deleted inside the transaction (the test server's user is
 * a superuser).
 */
export async function explainWithoutStatistics(pool: pg.Pool, statement: RecordedStatement, tables: readonly string[]): Promise<PlanNode> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`delete from pg_statistic where starelid = any($1::regclass[])`, [tables]);
    const { rows } = await client.query(`explain (analyze, format json) ${statement.text}`, statement.values);
    return rows[0]['QUERY PLAN'][0].Plan as PlanNode;
  } finally {
    await client.query('rollback');
    client.release();
  }
}

/** Rows compared and thrown away over the whole plan (filters and join filters, every loop). */
export function rowsRemoved(node: PlanNode): number {
  const own = ((node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Join Filter'] ?? 0)) * (node['Actual Loops'] ?? 1);
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRemoved(child), 0);
}

/** The most rows any scan of `relation` in the plan returned (every loop). */
export function rowsReadFrom(node: PlanNode, relation: string): number {
  const own = node['Relation Name'] === relation ? (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1) : 0;
  return Math.max(own, ...(node.Plans ?? []).map((child) => rowsReadFrom(child, relation)));
}
