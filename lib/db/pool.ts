import pg from 'pg';

/**
 * A connection pool that survives its connections: an idle client losing its
 * connection (a server restart) must not crash the process, nor a client in
 * use (its query fails with the error, which is what the caller sees).
 * graphile-worker 0.17 asks for both handlers.
 */
export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
