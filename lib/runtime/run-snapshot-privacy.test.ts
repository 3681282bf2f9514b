import { runMigrations } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { contactKeys, contactRepository } from '@/lib/db/contact-repository';
import { makeContact, TEST_APP_SECRET, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { activeVersion, engineHarness, grant, quietLogger } from './testing/engine-harness';

const database = useTestDatabase();

/** Asks by first name, then thanks by full name; `setGreeting` adds a `variable.set` that reads the contact before the thanks. */
function greetingFlow(id: string, setGreeting: boolean) {
  const thanks = setGreeting ? '{{vars.greeting}}, you are confirmed.' : 'Thanks, {{contact.name}}, you are confirmed.';
  return {
    schemaVersion: 1,
    id,
    name: id,
    policy: { brand: 'Acme Dental', quietHours: 'strictest' },
    nodes: [
      { id: 'start', type: 'trigger', data: { kind: 'api' } },
      { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
      {
        id: 'ask',
        type: 'message.ask',
        data: {
          purpose: 'informational',
          body: 'Acme Dental: hi {{contact.first_name}}, is {{vars.slot}} still good? Reply YES or NO.',
          timeout: 'PT12H',
          outsideHours: 'defer',
        },
      },
      ...(setGreeting ? [{ id: 'set', type: 'variable.set', data: { assign: { greeting: 'Dear {{contact.first_name}}' } } }] : []),
      { id: 'thanks', type: 'message.send', data: { purpose: 'informational', body: thanks, outsideHours: 'send' } },
      { id: 'done', type: 'end' },
    ],
    edges: [
      { id: 'e0', source: 'start', sourceHandle: 'next', target: 'check' },
      { id: 'e1', source: 'check', sourceHandle: 'granted', target: 'ask' },
      { id: 'e2', source: 'check', sourceHandle: 'missing', target: 'done' },
      { id: 'e3', source: 'ask', sourceHandle: 'reply', target: setGreeting ? 'set' : 'thanks' },
      { id: 'e4', source: 'ask', sourceHandle: 'timeout', target: 'done' },
      ...(setGreeting ? [{ id: 'e5', source: 'set', sourceHandle: 'next', target: 'thanks' }] : []),
      { id: 'e6', source: 'thanks', sourceHandle: 'sent', target: 'done' },
      { id: 'e7', source: 'thanks', sourceHandle: 'failed', target: 'done' },
    ],
  };
}

let plainVersion: string;
let setVersion: string;
beforeAll(async () => {
  const pool = database().pool;
  await runMigrations({ pgPool: pool, logger: quietLogger });
  plainVersion = await activeVersion(pool, greetingFlow('greet-plain', false), 'greet-plain');
  setVersion = await activeVersion(pool, greetingFlow('greet-set', true), 'greet-set');
});

/** A New York contact named Ana Diaz with informational consent, at 10:00 there, asked by the flow of `versionId`. */
async function askedAna(versionId: string) {
  const t = engineHarness(database().pool);
  t.at('2026-03-10T14:00:00Z');
  const phone = uniquePhone();
  const contact = await makeContact(t.pool, { phone, name: 'Ana Diaz', zone: 'America/New_York' });
  await grant(t.pool, contact.id, 'informational', '2026-01-01T00:00:00Z');
  const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id, vars: { slot: 'Tuesday 3 PM' } });
  await t.work();
  /** Everything the runtime tables keep of the run, as text. */
  const stored = async () => {
    const q = (sql: string) => t.pool.query(sql, [runId]).then((r) => JSON.stringify(r.rows));
    return [
      await q('select snapshot, vars from runs where id = $1'),
      await q('select * from run_steps where run_id = $1'),
      await q('select payload from run_events where run_id = $1'),
    ].join('\n');
  };
  const rename = (name: string) =>
    contactRepository(t.pool, contactKeys(TEST_APP_SECRET)).updateContacts([{ id: contact.id, fields: { name } }]);
  const reply = async (body: string) => {
    await t.engine.receiveInbound({ providerId: `SMgreet${runId.replace(/-/g, '')}`, from: phone, body });
    await t.work();
  };
  return { t, phone, runId, stored, rename, reply, texts: () => t.texts(phone) };
}

describe("a run keeps no copy of the contact's name", () => {
  it('greets the contact by name while neither the snapshot nor the run steps hold the name or the number', async () => {
    const s = await askedAna(plainVersion);
    expect(s.texts()).toEqual(['Acme Dental: hi Ana, is Tuesday 3 PM still good? Reply YES or NO.']);
    const waiting = await s.stored();
    for (const secret of ['Ana', 'Diaz', s.phone, s.phone.slice(1)]) expect(waiting).not.toContain(secret);

    await s.reply('YES');
    expect(s.texts().at(-1)).toBe('Thanks, Ana Diaz, you are confirmed.');
    const done = await s.stored();
    for (const secret of ['Ana', 'Diaz', s.phone, s.phone.slice(1)]) expect(done).not.toContain(secret);
  });

  it('uses the name the contact has at the moment of the send: a contact renamed meanwhile is thanked by the new name', async () => {
    const s = await askedAna(plainVersion);
    await s.rename('Anabel Cruz');
    await s.reply('YES');
    expect(s.texts().at(-1)).toBe('Thanks, Anabel Cruz, you are confirmed.');
  });

  it('gives a variable.set template the current name too', async () => {
    const s = await askedAna(setVersion);
    await s.rename('Anabel Cruz');
    await s.reply('YES');
    expect(s.texts().at(-1)).toBe('Dear Anabel, you are confirmed.');
  });
});
