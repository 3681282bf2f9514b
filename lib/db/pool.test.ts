import { describe, expect, it } from 'vitest';
import { createPool } from './pool';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();

describe('createPool', () => {
  it('turns JIT compilation off on every connection, before its first query', async () => {
    const pool = createPool(db().url, 3);
    try {
      const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
      const settings = await Promise.all(clients.map(async (c) => (await c.query<{ jit: string }>('show jit')).rows[0]!.jit));
      for (const c of clients) c.release();
      expect(settings).toEqual(['off', 'off', 'off']);
      // A query straight on the pool (a connection made for it) too.
      expect((await pool.query<{ jit: string }>('show jit')).rows[0]!.jit).toBe('off');
    } finally {
      await pool.end();
    }
  });
});
