import { describe, expect, it } from 'vitest';
import { actorFor } from '@/lib/auth/testing/actors';
import { contactKeys } from '@/lib/db/contact-repository';
import { makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { AppError } from '@/lib/app-error';
import { newPaymentToken } from '@/lib/providers/payment-token';
import { sandboxPhone } from './sandbox-phone';
import type { DataSource } from './source';

const db = useTestDatabase();
const testSource = (): DataSource => ({ pool: async () => db().pool, contactKeys: () => contactKeys(TEST_APP_SECRET) });

describe('sandboxPhone', () => {
  it('refuses nobody before any query, and is off when texts go through Twilio', async () => {
    let reached = 0;
    const source: DataSource = {
      pool: async () => {
        reached++;
        return db().pool;
      },
      contactKeys: () => contactKeys(TEST_APP_SECRET),
    };
    await expect(sandboxPhone(null, source, async () => true)).rejects.toBeInstanceOf(AppError);
    expect(reached).toBe(0);
    expect(await sandboxPhone(actorFor('editor'), source, async () => false)).toEqual({ enabled: false });
    expect(reached).toBe(0);
  });

  it("shows each number's texts as its phone got them, oldest first, newest number first; the pay link whole only to runs.write", async () => {
    const { pool } = db();
    const first = await makeContact(pool);
    const second = await makeContact(pool);
    const token = newPaymentToken();
    const insert = async (
      contactId: string,
      direction: 'inbound' | 'outbound',
      body: string,
      status: string,
      at: string,
      sandboxBody?: string,
    ) => {
      const { rows } = await pool.query(
        direction === 'inbound'
          ? `insert into messages (direction, contact_id, body, provider, provider_sid, status, created_at) values ('inbound', $1, $2, 'sandbox', 'SB' || md5(random()::text), $3, $4) returning id`
          : `insert into messages (direction, contact_id, effect_id, purpose, body, provider, status, created_at) values ('outbound', $1, md5(random()::text), 'informational', $2, 'sandbox', $3, $4) returning id`,
        [contactId, body, status, at],
      );
      if (sandboxBody) await pool.query('insert into sandbox_texts (message_id, body) values ($1, $2)', [rows[0].id, sandboxBody]);
    };
    await insert(
      first.id,
      'outbound',
      'Pay at http://localhost:3000/pay/…',
      'delivered',
      '2026-03-10T15:00:00Z',
      `Pay at http://localhost:3000/pay/${token}`,
    );
    await insert(first.id, 'inbound', 'thanks', 'received', '2026-03-10T15:01:00Z');
    // Held back or blocked: it never reached the phone.
    await insert(first.id, 'outbound', 'Never sent', 'blocked', '2026-03-10T15:02:00Z');
    await insert(second.id, 'outbound', 'Hello', 'sent', '2026-03-10T16:00:00Z');

    const editor = await sandboxPhone(actorFor('editor'), testSource(), async () => true);
    if (!editor.enabled) throw new Error('the sandbox phone is off');
    const mine = editor.conversations.filter((c) => c.contactId === first.id || c.contactId === second.id);
    expect(mine.map((c) => c.phone)).toEqual([second.phone, first.phone]);
    expect(mine[1]!.texts.map((t) => [t.direction, t.body, t.status])).toEqual([
      ['outbound', `Pay at http://localhost:3000/pay/${token}`, 'delivered'],
      ['inbound', 'thanks', 'received'],
    ]);
    const reviewer = await sandboxPhone(actorFor('reviewer'), testSource(), async () => true);
    if (!reviewer.enabled) throw new Error('the sandbox phone is off');
    const seen = JSON.stringify(reviewer.conversations);
    expect(seen).not.toContain(token);
    expect(seen).toContain('/pay/…');
  });
});
