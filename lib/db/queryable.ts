import pg from 'pg';

/** What a repository needs: a pool, or a client inside a transaction (a config with a `name` is prepared once per connection). */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

/** Runs `fn` in one transaction on a pooled client: committed if it resolves, rolled back if it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inOwnTransaction(client, fn);
  } finally {
    client.release();
  }
}

/**
 * Runs `fn`'s statements so they commit together or not at all, whatever a
 * repository was given: on a pool, in a transaction of its own
 * (`withTransaction`); on a client inside a transaction, in that (the
 * caller's) transaction, adding no statement; on a client outside one (idle
 * as its last ready-for-query said), in a transaction opened and committed
 * on that client. For a change and the outbox row that reports it
 * (`recordOutboundEvents`): a crash or a failure between the two never
 * keeps one without the other.
 */
export async function atomically<T>(db: Queryable, fn: (q: Queryable) => Promise<T>): Promise<T> {
  if (db instanceof pg.Pool) return withTransaction(db, fn);
  if (isIdleClient(db)) return inOwnTransaction(db, fn);
  return fn(db);
}

/** A client (not a pool) whose connection is not inside a transaction. */
function isIdleClient(db: Queryable): db is pg.ClientBase {
  const status = (db as Partial<pg.ClientBase>).getTransactionStatus;
  return typeof status === 'function' && status.call(db) === 'I';
}

async function inOwnTransaction<C extends Queryable, T>(client: C, fn: (tx: C) => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

/** Whether an error is the Postgres error with this SQLSTATE (e.g. `23505` unique violation). */
export function isPgError(err: unknown, code: string, constraint?: string): err is pg.DatabaseError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === code && (constraint === undefined || e.constraint === constraint);
}
