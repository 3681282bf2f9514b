import pg from 'pg';

/**
 * A connection pool that survives its connections: an idle client losing its
 * connection (a server restart) must not crash the process, nor a client in
 * use (its query fails with the error, which is what the caller sees).
 * graphile-worker 0.17 asks for both handlers.
 */
export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    // Awaited before the connection is handed out. The engine's statements read a few rows each; once a table's
    // statistics are missing or stale, the planner's estimate of one can pass jit_above_cost and it is compiled first: 51 ms
    // of JIT for a 2 ms read of 50 effects' contexts beside 100,000 contacts. A server that refuses the setting (a pooler)
    // keeps its own: nothing else depends on it.
    onConnect: async (client) => {
      await client.query('set jit = off').catch(() => undefined);
    },
  });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
