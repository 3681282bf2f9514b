import { describe, expect, it } from 'vitest';
import { messageRepository } from './message-repository';
import { withTransaction } from './queryable';
import { explainWithoutStatistics, recordingQueryable, rowsRemoved } from './testing/explain';
import { makeContact } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();

async function outbound(status: string): Promise<{ providerSid: string; effectId: string }> {
  const contact = await makeContact(db().pool);
  const effectId = `status-batch:${contact.id}`;
  const providerSid = `SM${contact.id.replaceAll('-', '')}`;
  await db().pool.query(
    `insert into messages (direction, contact_id, effect_id, purpose, body, provider, provider_sid, status, sent_at)
     values ('outbound', $1, $2, 'informational', 'Hello', 'twilio', $3, $4, now())`,
    [contact.id, effectId, providerSid, status],
  );
  return { providerSid, effectId };
}

const statusOf = async (providerSid: string) =>
  (await db().pool.query('select status, error from messages where provider_sid = $1', [providerSid])).rows[0];

describe('delivery statuses in one statement (updateDeliveryStatuses)', () => {
  it('records, per text, the status furthest along; the others, replays and unknown texts change nothing', async () => {
    const a = await outbound('sending');
    const b = await outbound('sent');
    const c = await outbound('delivered');
    const d = await outbound('blocked');
    const changed = await messageRepository(db().pool).updateDeliveryStatuses([
      { providerSid: a.providerSid, status: 'queued' },
      { providerSid: a.providerSid, status: 'sent' },
      { providerSid: a.providerSid, status: 'delivered' },
      // Found by the effect id when the provider's id is not the one stored (a callback for a send whose answer was lost).
      { providerSid: 'SM-unknown', effectId: b.effectId, status: 'undelivered', errorCode: 30003 },
      { providerSid: c.providerSid, status: 'failed', errorCode: 30008 },
      { providerSid: d.providerSid, status: 'delivered' },
      { providerSid: 'SM-nobody', status: 'delivered' },
    ]);
    expect(changed).toEqual([false, false, true, true, false, false, false]);
    expect(await statusOf(a.providerSid)).toEqual({ status: 'delivered', error: null });
    expect(await statusOf(b.providerSid)).toEqual({ status: 'undelivered', error: 'provider error 30003' });
    expect(await statusOf(c.providerSid)).toEqual({ status: 'delivered', error: null });
    expect(await statusOf(d.providerSid)).toEqual({ status: 'blocked', error: null });
  });

  it('of two final statuses told at once, keeps the first', async () => {
    const a = await outbound('sent');
    const changed = await messageRepository(db().pool).updateDeliveryStatuses([
      { providerSid: a.providerSid, status: 'failed', errorCode: 30005 },
      { providerSid: a.providerSid, status: 'delivered' },
    ]);
    expect(changed).toEqual([true, false]);
    expect(await statusOf(a.providerSid)).toEqual({ status: 'failed', error: 'provider error 30005' });
  });

  it('never deadlocks with the sends being recorded beside it: both lock the texts in id order', async () => {
    const contact = await makeContact(db().pool);
    const effects = Array.from({ length: 400 }, (_, i) => `lock-order:${contact.id}:${i}`);
    const { rows } = await db().pool.query<{ provider_sid: string; effect_id: string }>(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, provider_sid, status)
       select 'outbound', $1, e, 'informational', 'Hello', 'sandbox', 'SM-' || e, 'sending' from unnest($2::text[]) as e
       returning provider_sid, effect_id`,
      [contact.id, effects],
    );
    // Each round: callbacks for the texts in one order while their sends are recorded in the other, at the same moment.
    for (let round = 0; round < 6; round++) {
      const status = round % 2 ? 'sent' : 'delivered';
      await Promise.all([
        withTransaction(db().pool, (tx) =>
          messageRepository(tx).updateDeliveryStatuses([...rows].reverse().map((r) => ({ providerSid: r.provider_sid, status }))),
        ),
        withTransaction(db().pool, (tx) =>
          messageRepository(tx).markSentMany(rows.map((r) => ({ effectId: r.effect_id, providerId: r.provider_sid, at: new Date() }))),
        ),
      ]);
      await db().pool.query(`update messages set status = 'sending' where effect_id = any($1::text[])`, [effects]);
    }
  });

  it('looks each callback up by an equality: one pass over the texts even when no index is used (as before the first ANALYZE)', async () => {
    const contact = await makeContact(db().pool);
    const { rows } = await db().pool.query<{ provider_sid: string; effect_id: string }>(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, provider_sid, status)
       select 'outbound', $1::uuid, $1::text || ':scan:' || i, 'informational', 'Hello', 'sandbox', 'SM-' || $1::text || ':' || i, 'sent'
       from generate_series(1, 2000) as i
       returning provider_sid, effect_id`,
      [contact.id],
    );
    // The statement as the repository sends it, for 200 callbacks (half named by effect id alone).
    const recorder = recordingQueryable(db().pool);
    await messageRepository(recorder.db).updateDeliveryStatuses(
      rows
        .slice(0, 200)
        .map((r, i) =>
          i % 2
            ? { providerSid: r.provider_sid, status: 'delivered' }
            : { providerSid: 'SM-lost', effectId: r.effect_id, status: 'delivered' },
        ),
    );
    const update = recorder.statements.find((s) => /update messages/.test(s.text))!;
    await db().pool.query(`update messages set status = 'sent' where contact_id = $1`, [contact.id]);
    const plan = await explainWithoutStatistics(db().pool, update, ['messages']);
    const texts = (await db().pool.query('select count(*)::int as n from messages')).rows[0].n as number;
    // Comparisons made and thrown away, over the whole plan: a join on "sid or effect" makes 200 × every text.
    expect(rowsRemoved(plan)).toBeLessThan(4 * texts);
  });
});
