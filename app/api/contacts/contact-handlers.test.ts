import { describe, expect, it } from 'vitest';
import { apiRequest } from '@/lib/http/testing/api-request';
import type { Actor } from '@/lib/access/roles';
import { listAudit } from '@/lib/db/audit-repository';
import { consentRepository } from '@/lib/db/consent-repository';
import { contactKeys, contactRepository } from '@/lib/db/contact-repository';
import { TEST_APP_SECRET, makeContact } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { contactHandlers } from './contact-handlers';

const db = useTestDatabase();
const NOW = new Date('2026-03-10T15:00:00Z');
const TEXT = 'Acme Dental: I agree to receive marketing texts. Msg & data rates may apply. Reply STOP to opt out.';

const editor: Actor = { userId: 'u-editor', email: 'e@x.test', name: 'Ed', role: 'editor', via: 'session' };
const reviewer: Actor = { userId: 'u-reviewer', email: 'r@x.test', name: 'Rita', role: 'reviewer', via: 'session' };
const api = (actor: Actor | null = editor, clock: () => Date = () => NOW) =>
  contactHandlers({
    authenticate: async () => actor,
    pool: async () => db().pool,
    keys: () => contactKeys(TEST_APP_SECRET),
    clock,
    log: () => {},
  });
const contacts = () => contactRepository(db().pool, contactKeys(TEST_APP_SECRET));

const csvRequest = (csv: string, file = 'spring.csv', type = 'text/csv') =>
  apiRequest(`http://test/api/contacts/import?file=${encodeURIComponent(file)}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: csv,
  });
const lines = async (res: Response) =>
  (await res.text())
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const count = async (sql: string, values: unknown[] = []) => Number((await db().pool.query(sql, values)).rows[0].n);

describe('POST /api/contacts/import', () => {
  it('imports a valid file: new contacts, an update to an existing one, and the consent grants in the ledger', async () => {
    const existing = await makeContact(db().pool, { phone: '+13125550100', name: 'Old Name', zip: '60601', attributes: { plan: 'gold' } });
    const csv = [
      'phone,name,first_name,zip,zone,state,dob,consent_purpose,consent_text,consent_at,consent_channel,consent_ref',
      `(646) 555-0101,"Lee, Sam",Sam,10001,America/New_York,NY,1980-04-12,marketing,"${TEXT}",2026-03-01T12:00:00-05:00,web,form-77`,
      '+1 312 555 0100,,Ana,,America/Chicago,il,,informational,,2026-03-02T09:00:00Z,paper,',
      '6465550102,Bo Park,,,,,,,,,,',
    ].join('\r\n');
    const res = await api().importCsv(csvRequest(csv));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const out = await lines(res);
    expect(out[0]).toEqual({ phase: 'validating', done: 3, total: 3 });
    expect(out.filter((l) => l.phase === 'importing').at(-1)).toEqual({ phase: 'importing', done: 5, total: 5 });
    expect(out.at(-1)).toEqual({ phase: 'done', importId: expect.any(String), created: 2, updated: 1, consents: 2 });

    const sam = (await contacts().findContactByPhone('+16465550101'))!;
    expect(sam).toMatchObject({
      name: 'Lee, Sam',
      zip: '10001',
      zone: 'America/New_York',
      state: 'NY',
      dateOfBirth: '1980-04-12',
      attributes: { first_name: 'Sam' },
    });
    // Empty cells keep what was stored; first_name joins the attributes.
    expect(await contacts().getContact(existing.id)).toMatchObject({
      name: 'Old Name',
      zip: '60601',
      zone: 'America/Chicago',
      state: 'IL',
      attributes: { plan: 'gold', first_name: 'Ana' },
    });
    expect((await contacts().findContactByPhone('+16465550102'))!.name).toBe('Bo Park');

    const [grant] = await consentRepository(db().pool).listConsentEvents(sam.id);
    expect(grant).toMatchObject({
      action: 'grant',
      purpose: 'marketing',
      source: 'import',
      channel: 'web',
      textShown: TEXT,
      sourceRef: 'spring.csv:row 2',
      details: { sourceRecord: 'form-77' },
      recordedBy: 'u-editor',
      occurredAt: new Date('2026-03-01T17:00:00Z'),
    });
    expect(await consentRepository(db().pool).currentConsent(existing.id)).toBe('informational');
    expect(await consentRepository(db().pool).verifyLedger()).toMatchObject({ ok: true });
    const [audit] = await listAudit(db().pool, { action: 'contacts.imported' });
    expect(audit).toMatchObject({ actor: 'u-editor', details: { file: 'spring.csv', rows: 3, created: 2, updated: 1, consents: 2 } });
  });

  it('answers a file with one bad row with 422 listing the row errors, and stores nothing', async () => {
    const before = {
      contacts: await count('select count(*) as n from contacts'),
      events: await count('select count(*) as n from consent_events'),
    };
    const csv =
      'phone,zone,consent_purpose,consent_at,consent_channel\n6465550201,America/Denver,informational,2026-03-01T12:00:00Z,sms\n6465550202,Mars/Olympus,,,\n';
    const res = await api().importCsv(csvRequest(csv));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: 'unprocessable', message: '1 problem in 1 row of 2: nothing was imported. Fix the file and import it again.' },
      errors: [{ row: 3, column: 'zone', message: '"Mars/Olympus" is not an IANA time zone like America/Chicago' }],
      moreErrors: 0,
    });
    expect(await count('select count(*) as n from contacts')).toBe(before.contacts);
    expect(await count('select count(*) as n from consent_events')).toBe(before.events);
  });

  it('lists at most 500 row errors and says how many more there are', async () => {
    const csv = ['phone', ...Array.from({ length: 620 }, (_, i) => `bad-${i}`)].join('\n');
    const body = await (await api().importCsv(csvRequest(csv))).json();
    expect(body.errors).toHaveLength(500);
    expect(body.moreErrors).toBe(120);
    expect(body.error.message).toContain('The first 500 are listed; 120 more are not.');
  });

  it('rolls back every contact when the ledger refuses a row in the middle of the transaction', async () => {
    // The server clock is ahead of the database's: the validator accepts consent dated "now",
    // the ledger's own check (consent_events_not_in_future) refuses it after the contacts were written.
    const ahead = () => new Date(Date.now() + 24 * 3600 * 1000);
    const future = new Date(Date.now() + 12 * 3600 * 1000).toISOString();
    const rows = Array.from(
      { length: 1500 },
      (_, i) => `+1917555${String(i).padStart(4, '0')},informational,${i === 1200 ? future : '2026-03-01T12:00:00Z'},sms`,
    );
    const before = {
      contacts: await count('select count(*) as n from contacts'),
      events: await count('select count(*) as n from consent_events'),
    };
    const res = await api(editor, ahead).importCsv(csvRequest(['phone,consent_purpose,consent_at,consent_channel', ...rows].join('\n')));
    expect(res.status).toBe(200);
    const out = await lines(res);
    expect(out.some((l) => l.phase === 'importing' && (l.done as number) >= 1500)).toBe(true);
    expect(out.at(-1)).toEqual({
      phase: 'failed',
      errors: [{ row: null, column: null, message: 'the database refused a row (consent_events_not_in_future); nothing was imported.' }],
    });
    expect(await count('select count(*) as n from contacts')).toBe(before.contacts);
    expect(await count('select count(*) as n from consent_events')).toBe(before.events);
    expect(await listAudit(db().pool, { action: 'contacts.imported', limit: 10 })).toHaveLength(1);
  });

  it('refuses a number whose contact was erased, naming its row', async () => {
    const gone = await makeContact(db().pool, { phone: '+16465550301' });
    await db().pool.query(
      'update contacts set phone_e164 = null, name_enc = null, dob_enc = null, zip_enc = null, attributes_enc = null, erased_at = now() where id = $1',
      [gone.id],
    );
    const res = await api().importCsv(csvRequest('phone\n6465550300\n6465550301\n'));
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([
      { row: 3, column: 'phone', message: expect.stringContaining('belonged to a contact whose data was erased') },
    ]);
    expect(await contacts().findContactByPhone('+16465550300')).toBeUndefined();
  });

  it('answers 413 above 5 MB, 415 for another content type, and names the file "csv" when no name is given', async () => {
    const big = `phone\n${'2125550100\n'.repeat(500_000)}`;
    expect((await api().importCsv(csvRequest(big))).status).toBe(413);
    expect((await api().importCsv(csvRequest('phone\n6465550400\n', 'x.csv', 'application/json'))).status).toBe(415);
    const res = await api().importCsv(
      apiRequest('http://test/api/contacts/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv; charset=utf-8' },
        body: 'phone,consent_purpose,consent_at,consent_channel\n6465550401,informational,2026-03-01T12:00:00Z,api\n',
      }),
    );
    expect((await lines(res)).at(-1)).toMatchObject({ phase: 'done', created: 1 });
    const c = (await contacts().findContactByPhone('+16465550401'))!;
    expect((await consentRepository(db().pool).listConsentEvents(c.id))[0]!.sourceRef).toBe('csv:row 2');
  });

  it('lets nobody import without signing in (401), and not a reviewer (403)', async () => {
    expect((await api(null).importCsv(csvRequest('phone\n6465550500\n'))).status).toBe(401);
    const res = await api(reviewer).importCsv(csvRequest('phone\n6465550500\n'));
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain('contacts.write');
    expect(await contacts().findContactByPhone('+16465550500')).toBeUndefined();
  });
});

describe('GET /api/contacts and /api/contacts/:id', () => {
  const list = async (query: string, actor: Actor | null = reviewer) => api(actor).list(new Request(`http://test/api/contacts${query}`));

  it('lists contacts newest first with consent per purpose, page by page', async () => {
    const a = await makeContact(db().pool, { phone: '+17185550001', name: 'Zoë Ávila' });
    const b = await makeContact(db().pool, { phone: '+17185550002', name: 'Max Ode' });
    await consentRepository(db().pool).appendConsentEvent({
      contactId: b.id,
      action: 'grant',
      purpose: 'marketing',
      source: 'api',
      channel: 'api',
      textShown: TEXT,
      recordedBy: 'api',
      occurredAt: new Date('2026-03-01T00:00:00Z'),
    });
    const res = await list('?q=718555');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.search).toBe('digits');
    expect(body.contacts.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
    expect(body.contacts[0]).toMatchObject({
      phone: '+17185550002',
      name: 'Max Ode',
      erased: false,
      consent: { informational: 'granted', marketing: 'granted' },
    });
    expect(body.contacts[1].consent).toEqual({ informational: 'none', marketing: 'none' });

    // Paging: every contact exactly once, across pages of 50.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { contacts: { id: string }[]; nextCursor: string | null } = await (await list(cursor ? `?cursor=${cursor}` : '')).json();
      seen.push(...page.contacts.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    const total = await count('select count(*) as n from contacts');
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect((await list('?cursor=nonsense')).status).toBe(400);
  });

  it('finds a full number by its hash, and a name by decrypting, ignoring case and accents', async () => {
    const c = await makeContact(db().pool, { phone: '+17185550011', name: 'Renée Zyx' });
    const byPhone = await (await list('?q=(718)%20555-0011')).json();
    expect(byPhone).toMatchObject({ search: 'phone', contacts: [{ id: c.id }], nextCursor: null });
    const byName = await (await list('?q=renee%20z')).json();
    expect(byName).toMatchObject({ search: 'name', contacts: [{ id: c.id, name: 'Renée Zyx' }] });
    expect(byName.scanned).toBeGreaterThan(0);
    expect((await (await list('?q=nobody-by-this-name')).json()).contacts).toEqual([]);
    const old = await (await list('?phone=7185550011')).json();
    expect(old).toMatchObject({ contact: { id: c.id }, consent: 'missing' });
  });

  it('shows one contact with ZIP and date of birth masked, the consent timeline and the runs', async () => {
    const c = await makeContact(db().pool, {
      phone: '+17185550021',
      name: 'Kim Li',
      zip: '60601',
      dateOfBirth: '1990-01-02',
      attributes: { first_name: 'Kim' },
    });
    const ledger = consentRepository(db().pool);
    await ledger.appendConsentEvent({
      contactId: c.id,
      action: 'grant',
      purpose: 'marketing',
      source: 'web_form',
      channel: 'web',
      textShown: TEXT,
      sourceRef: 'https://acme.test/join',
      recordedBy: 'api',
      occurredAt: new Date('2026-03-01T00:00:00Z'),
    });
    await ledger.appendConsentEvent({
      contactId: c.id,
      action: 'revoke',
      source: 'keyword',
      channel: 'sms',
      reply: 'STOP',
      sourceRef: 'SM123',
      recordedBy: 'system',
      occurredAt: new Date('2026-03-02T00:00:00Z'),
    });
    const res = await api(reviewer).get(new Request('http://test'), { params: Promise.resolve({ id: c.id }) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.contact).toMatchObject({
      id: c.id,
      phone: '+17185550021',
      name: 'Kim Li',
      firstName: 'Kim',
      zipMasked: '606••',
      dateOfBirthOnFile: true,
      // The ZIP (Chicago) decides before the area code (718, New York), as it does for the sending windows.
      zones: ['America/Chicago'],
    });
    expect(JSON.stringify(body)).not.toContain('60601');
    expect(JSON.stringify(body)).not.toContain('1990-01-02');
    expect(body.consent).toEqual({ level: 'revoked', informational: 'revoked', marketing: 'revoked' });
    expect(body.events.map((e: { action: string; purpose: string; reply: string | null }) => [e.action, e.purpose, e.reply])).toEqual([
      ['grant', 'marketing', null],
      ['revoke', 'all', 'STOP'],
    ]);
    expect(body.runs).toEqual([]);
    const missing = await api(reviewer).get(new Request('http://test'), {
      params: Promise.resolve({ id: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(missing.status).toBe(404);
    expect((await api(reviewer).get(new Request('http://test'), { params: Promise.resolve({ id: 'x' }) })).status).toBe(400);
  });

  it('answers 401 to nobody', async () => {
    expect((await list('', null)).status).toBe(401);
    expect(
      (await api(null).get(new Request('http://test'), { params: Promise.resolve({ id: '00000000-0000-4000-8000-000000000000' }) })).status,
    ).toBe(401);
  });
});
