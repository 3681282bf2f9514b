import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access/roles';
import { parseCsv } from '@/lib/contacts/csv-parse';
import { listAudit } from '@/lib/db/audit-repository';
import { consentRepository } from '@/lib/db/consent-repository';
import { contactKeys } from '@/lib/db/contact-repository';
import { TEST_APP_SECRET, makeContact } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { EXPORT_COLUMNS } from '@/lib/contacts/consent-ledger';
import { consentHandlers } from './consent-handlers';

const db = useTestDatabase();
const reviewer: Actor = { userId: 'u-reviewer', email: 'r@x.test', name: 'Rita', role: 'reviewer', via: 'session' };
const editor: Actor = { userId: 'u-editor', email: 'e@x.test', name: 'Ed', role: 'editor', via: 'session' };
const api = (actor: Actor | null = reviewer) =>
  consentHandlers({ authenticate: async () => actor, pool: async () => db().pool, keys: () => contactKeys(TEST_APP_SECRET) });
const get = (handler: (r: Request) => Promise<Response>, query = '') => handler(new Request(`http://test/api/consent/export.csv${query}`));

const TRICKY = 'Acme: reply YES to join. "Msg & data rates may apply", 4 msgs/mo.\nReply STOP to opt out.';

async function seed() {
  const ledger = consentRepository(db().pool);
  const a = await makeContact(db().pool, { name: '=HYPERLINK("http://evil.test","click")' });
  const b = await makeContact(db().pool, { name: 'Lee, Sam' });
  await ledger.appendConsentEvent({
    contactId: a.id,
    action: 'grant',
    purpose: 'marketing',
    source: 'web_form',
    channel: 'web',
    textShown: TRICKY,
    sourceRef: '@form',
    recordedBy: 'api',
    occurredAt: new Date('2026-03-01T12:00:00Z'),
  });
  await ledger.appendConsentEvent({
    contactId: b.id,
    action: 'grant',
    purpose: 'informational',
    source: 'import',
    channel: 'paper',
    sourceRef: 'x.csv:row 2',
    recordedBy: 'u-editor',
    occurredAt: new Date('2026-03-02T12:00:00Z'),
  });
  await ledger.appendConsentEvent({
    contactId: a.id,
    action: 'revoke',
    source: 'keyword',
    channel: 'sms',
    reply: '-STOP',
    recordedBy: 'system',
    occurredAt: new Date('2026-03-03T12:00:00-05:00'),
  });
  return { a, b };
}

describe('GET /api/consent/export.csv', () => {
  it('exports every event in chain order, quoted, formula-safe, and records consent.exported', async () => {
    const { a, b } = await seed();
    const res = await get(api().exportCsv);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="consent-ledger-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    // A UTF-8 byte-order mark first, so a spreadsheet reads the file as UTF-8.
    expect(text.startsWith('\ufeffcontact_phone,contact_name,purpose,action,occurred_at,')).toBe(true);
    const parsed = parseCsv(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const [header, ...rows] = parsed.records.map((r) => r.fields);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const events = (await consentRepository(db().pool).listLedger()).reverse();
    expect(rows).toEqual([
      [
        `'${a.phone}`,
        `'=HYPERLINK("http://evil.test","click")`,
        'marketing',
        'grant',
        '2026-03-01T12:00:00.000Z',
        'web_form',
        'web',
        TRICKY,
        '',
        "'@form",
        'api',
        '1',
        events[0]!.hash,
        events[0]!.recordedAt.toISOString(),
        a.id,
      ],
      [
        `'${b.phone}`,
        'Lee, Sam',
        'informational',
        'grant',
        '2026-03-02T12:00:00.000Z',
        'import',
        'paper',
        '',
        '',
        'x.csv:row 2',
        'u-editor',
        '2',
        events[1]!.hash,
        events[1]!.recordedAt.toISOString(),
        b.id,
      ],
      [
        `'${a.phone}`,
        `'=HYPERLINK("http://evil.test","click")`,
        'all',
        'revoke',
        '2026-03-03T17:00:00.000Z',
        'keyword',
        'sms',
        '',
        "'-STOP",
        '',
        'system',
        '3',
        events[2]!.hash,
        events[2]!.recordedAt.toISOString(),
        a.id,
      ],
    ]);
    // The name with a formula, the text with a quote, comma and line break: quoted as RFC 4180 says.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
    expect(text).toContain('"Acme: reply YES to join. ""Msg & data rates may apply"", 4 msgs/mo.\nReply STOP to opt out."');
    const [audit] = await listAudit(db().pool, { action: 'consent.exported' });
    expect(audit).toMatchObject({ actor: 'u-reviewer', subjectType: 'consent_ledger', details: { throughEvent: 3 } });
  });

  it('exports one contact with ?contactId=, across batches', async () => {
    const c = await makeContact(db().pool, { name: 'Many Events' });
    const ledger = consentRepository(db().pool);
    await ledger.appendConsentEvents(
      Array.from({ length: 2100 }, (_, i) => ({
        contactId: c.id,
        action: 'grant' as const,
        purpose: 'informational' as const,
        source: 'api' as const,
        channel: 'api' as const,
        sourceRef: `r${i}`,
        recordedBy: 'api',
        occurredAt: new Date('2026-03-01T00:00:00Z'),
      })),
    );
    const text = await (await get(api().exportCsv, `?contactId=${c.id}`)).text();
    const parsed = parseCsv(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const rows = parsed.records.slice(1);
    expect(rows).toHaveLength(2100);
    expect(rows.every((r) => r.fields[14] === c.id)).toBe(true);
    expect(rows.map((r) => r.fields[9])).toEqual(Array.from({ length: 2100 }, (_, i) => `r${i}`));
    const [audit] = await listAudit(db().pool, { action: 'consent.exported' });
    expect(audit).toMatchObject({ subjectType: 'contact', subjectId: c.id });
    expect((await get(api().exportCsv, '?contactId=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get(api().exportCsv, '?contactId=nope')).status).toBe(400);
  });

  it('answers 401 to nobody and 403 to an editor (exports need audit.export)', async () => {
    expect((await get(api(null).exportCsv)).status).toBe(401);
    const res = await get(api(editor).exportCsv);
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain('audit.export');
  });
});

describe('GET /api/consent', () => {
  it('lists events newest first with who they concern, filtered by action, purpose, source and date', async () => {
    const all = await (await api(editor).list(new Request('http://test/api/consent'))).json();
    expect(all.events.length).toBeGreaterThan(0);
    expect(all.events[0].id).toBeGreaterThan(all.events[1].id);
    const revokes = await (await api(editor).list(new Request('http://test/api/consent?action=revoke&purpose=marketing'))).json();
    expect(revokes.events.map((e: { action: string; purpose: string; reply: string }) => [e.action, e.purpose, e.reply])).toEqual([
      ['revoke', 'all', '-STOP'],
    ]);
    const imported = await (
      await api(editor).list(new Request('http://test/api/consent?source=import&from=2026-03-02&to=2026-03-02'))
    ).json();
    expect(imported.events).toHaveLength(1);
    expect(imported.events[0]).toMatchObject({ source: 'import', contact: { name: 'Lee, Sam' } });
    const bad = await api(editor).list(new Request('http://test/api/consent?purpose=promo'));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.path).toBe('purpose');
    expect((await api(null).list(new Request('http://test/api/consent'))).status).toBe(401);
  });
});
