import { request } from 'node:http';
import { createClient } from '@supabase/supabase-js';
import { describe, expect, it, beforeAll } from 'vitest';
import { ROLES, type Actor, type Role } from '@/lib/access/roles';
import { actorFor } from '@/lib/auth/testing/actors';
import { issueDataToken } from '@/lib/auth/data-token';
import { DATA_API_AUDIENCE, signHs256Jwt } from '@/lib/crypto/data-api-jwt';
import { ANALYZER_VERSION } from '@/lib/flow/analyze';
import { payByTextDocument } from '@/lib/flow/test-fixtures';
import { versionService } from '@/lib/flows/version-service';
import { currentBinding } from '@/lib/runtime/approval-gate';
import { flowRepository } from './flow-repository';
import { useDataApi } from './testing/data-api';
import { approvedActiveVersion, makeContact } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();
const api = useDataApi(db);

// A fixed instant: JWTs are issued for it and PostgREST checks `exp` against its own clock, so "now" is read once here.
const NOW = new Date();

// Secrets the fixture stores; no view may show any of them.
const PAY_TOKEN = 'Zq3x9Lm2Vb7Nc4Kd8Hf1Tg6Rw5Ys0Pa2Qe7Ui3Oj9Lk';
const PAY_TOKEN_HASH = 'a'.repeat(64);
const CHECKOUT_URL = 'https://checkout.stripe.test/c/pay/cs_test_secret_session';
const PROVIDER_SESSION = 'cs_test_secret_session';
const PROVIDER_SID = 'SMsecretsid0000000000000000000000';
const CONSENT_TEXT = 'Reply YES to get marketing texts from Acme. Msg&data rates may apply.';

const VIEWS: Record<string, string[]> = {
  flows: ['id', 'name', 'created_at', 'updated_at', 'archived_at'],
  flow_versions: [
    'id',
    'flow_id',
    'version',
    'content_hash',
    'status',
    'created_at',
    'status_changed_at',
    'review_decision',
    'analyzer_version',
    'acknowledged_warnings',
    'reviewed_at',
    'verdict_analyzer_version',
    'verdict_errors',
    'verdict_warnings',
    'verdict_report_hash',
    'verdict_at',
  ],
  runs: [
    'id',
    'flow_id',
    'flow_version_id',
    'flow_version',
    'contact_id',
    'contact_phone',
    'status',
    'stop_reason',
    'created_at',
    'updated_at',
    'ended_at',
  ],
  run_steps: ['run_id', 'step', 'seq', 'event_type', 'from_node', 'to_node', 'at'],
  messages: [
    'id',
    'run_id',
    'contact_id',
    'contact_phone',
    'direction',
    'purpose',
    'body',
    'status',
    'error',
    'created_at',
    'updated_at',
    'sent_at',
  ],
  payments: [
    'id',
    'run_id',
    'contact_id',
    'amount_minor',
    'currency',
    'description',
    'status',
    'provider',
    'failure_reason',
    'expires_at',
    'paid_at',
    'created_at',
  ],
  consent_events: [
    'id',
    'contact_id',
    'action',
    'purpose',
    'source',
    'channel',
    'text_shown',
    'reply',
    'run_id',
    'occurred_at',
    'recorded_at',
  ],
};

let phone = '';
let submittedId = '';
let submittedReportHash = '';
let counts: Record<string, number> = {};

beforeAll(async () => {
  const { pool } = db();
  const contact = await makeContact(pool, { name: 'Ada Lovelace' });
  phone = contact.phone!;
  const version = await approvedActiveVersion(pool, payByTextDocument(), 'pay-flow');
  // Submitted as the app submits (its verdict recorded); 'pay-flow' was stored without one, as versions submitted before verdicts were.
  const warned = { ...payByTextDocument(), id: 'warned-flow' };
  warned.nodes.push({ id: 'stray', type: 'end', position: { x: 0, y: 0 } });
  await flowRepository(pool).createFlow({
    id: warned.id,
    name: 'Warned',
    draft: warned as unknown as Record<string, unknown>,
    savedBy: 'u-editor',
  });
  submittedId = (await versionService(pool).submit(warned.id, actorFor('editor'))).version.id;
  const binding = currentBinding((await flowRepository(pool).getVersion(submittedId))!.content);
  submittedReportHash = binding.ok ? binding.binding.reportHash : '';
  const {
    rows: [run],
  } = await pool.query<{ id: string }>(
    `insert into runs (flow_version_id, contact_id, snapshot) values ($1, $2, '{"value":"ask"}') returning id`,
    [version.id, contact.id],
  );
  await pool.query(
    `insert into run_steps (run_id, step, seq, event_type, from_node, to_node, at) values ($1, 0, 0, 'start', null, 'trigger', $2), ($1, 1, 0, 'go', 'trigger', 'ask', $2)`,
    [run!.id, NOW],
  );
  await pool.query(
    `insert into messages (direction, contact_id, run_id, effect_id, purpose, body, provider, provider_sid, status, created_at)
     values ('outbound', $1, $2, $3, 'informational', $4, 'sandbox', $5, 'sent', $6),
            ('inbound', $1, $2, null, null, '[identity answer]', 'sandbox', $7, 'received', $6)`,
    [
      contact.id,
      run!.id,
      `${run!.id}:1:0`,
      `Pay here: https://optline.test/pay/${PAY_TOKEN} code ••••••`,
      PROVIDER_SID,
      NOW,
      `${PROVIDER_SID}x`,
    ],
  );
  await pool.query(
    `insert into payments (run_id, contact_id, effect_id, node_id, token_hash, amount_minor, currency, description, provider, provider_session_id, checkout_url, expires_at, created_at)
     values ($1, $2, $3, 'pay', $4, 4200, 'usd', 'Invoice 7', 'stripe', $5, $6, $7::timestamptz + interval '1 day', $7)`,
    [run!.id, contact.id, `${run!.id}:1:1`, PAY_TOKEN_HASH, PROVIDER_SESSION, CHECKOUT_URL, NOW],
  );
  await pool.query(
    `insert into consent_events (contact_id, action, purpose, source, channel, text_shown, reply, recorded_by, occurred_at)
     values ($1, 'grant', 'marketing', 'reply', 'sms', $2, 'YES', 'test', $3)`,
    [contact.id, CONSENT_TEXT, NOW],
  );
  counts = {};
  for (const view of Object.keys(VIEWS)) {
    counts[view] = Number((await pool.query(`select count(*) from optline_api.${view}`)).rows[0].count);
  }
});

const jwtFor = (actor: Actor) => issueDataToken(actor, { secret: api().jwtSecret, now: NOW }).token;
const clientWith = (jwt: string) => createClient(api().url, 'optline', { accessToken: async () => jwt, db: { schema: 'optline_api' } });
const tokenActor = (role: Role, scopes: Actor['token'] extends infer T ? (T extends { scopes: infer S } ? S : never) : never): Actor => ({
  ...actorFor(role),
  via: 'token',
  token: { id: '00000000-0000-4000-8000-000000000001', scopes },
});

describe('the Data API through supabase-js and PostgREST', () => {
  it('has rows of every kind to show (the fixture is not empty)', () => {
    for (const view of Object.keys(VIEWS)) expect(counts[view], view).toBeGreaterThan(0);
  });

  for (const role of ROLES) {
    it(`shows the ${role} role every row of every view, with exactly the views' columns`, async () => {
      const client = clientWith(jwtFor(actorFor(role)));
      for (const [view, columns] of Object.entries(VIEWS)) {
        const { data, error, status } = await client.from(view).select('*');
        expect(error, view).toBeNull();
        expect(status).toBe(200);
        expect(data, view).toHaveLength(counts[view]!);
        for (const row of data!) expect(Object.keys(row).sort(), view).toEqual([...columns].sort());
      }
    });
  }

  it("shows each version's analyzer verdict at submission, and nulls for a version stored without one", async () => {
    const { data, error } = await clientWith(jwtFor(actorFor('developer')))
      .from('flow_versions')
      .select('id, flow_id, verdict_analyzer_version, verdict_errors, verdict_warnings, verdict_report_hash, verdict_at')
      .order('flow_id');
    expect(error).toBeNull();
    expect(data).toEqual([
      {
        id: expect.any(String),
        flow_id: 'pay-flow',
        verdict_analyzer_version: null,
        verdict_errors: null,
        verdict_warnings: null,
        verdict_report_hash: null,
        verdict_at: null,
      },
      {
        id: submittedId,
        flow_id: 'warned-flow',
        verdict_analyzer_version: ANALYZER_VERSION,
        verdict_errors: 0,
        verdict_warnings: 1,
        verdict_report_hash: submittedReportHash,
        verdict_at: expect.any(String),
      },
    ]);
  });

  it('shows the consent text to a role that may read the ledger', async () => {
    const { data } = await clientWith(jwtFor(actorFor('reviewer')))
      .from('consent_events')
      .select('text_shown, reply');
    expect(data).toEqual([{ text_shown: CONSENT_TEXT, reply: 'YES' }]);
  });

  it('shows an API token with the read scope what its role may read', async () => {
    const { data, error } = await clientWith(jwtFor(tokenActor('developer', ['read'])))
      .from('runs')
      .select('id, status');
    expect(error).toBeNull();
    expect(data).toHaveLength(counts.runs!);
  });

  it('shows nothing, and no consent text, to an API token without the read scope', async () => {
    const client = clientWith(jwtFor(tokenActor('developer', ['runs.write', 'contacts.write'])));
    for (const view of Object.keys(VIEWS)) {
      const { data, error } = await client.from(view).select('*');
      expect(error, view).toBeNull();
      expect(data, view).toEqual([]);
    }
  });

  it('shows nothing to a person who has yet to set up two-factor sign-in', async () => {
    const client = clientWith(jwtFor({ ...actorFor('owner'), mustEnrolTwoFactor: true }));
    for (const view of Object.keys(VIEWS)) expect((await client.from(view).select('*')).data, view).toEqual([]);
  });

  it('refuses every write, even to a role that may write through the REST API', async () => {
    const client = clientWith(jwtFor(actorFor('owner')));
    const insert = await client.from('flows').insert({ id: 'sneaky', name: 'Sneaky' });
    expect(insert.status).toBe(405);
    const update = await client.from('runs').update({ status: 'stopped' }).neq('status', 'x');
    expect(update.status).toBe(405);
    expect((await db().pool.query(`select count(*) from runs where status = 'stopped'`)).rows[0].count).toBe('0');
  });

  it('shows anon nothing: no JWT, or an anon key, gets 401', async () => {
    const bare = await fetch(`${api().url}/rest/v1/runs`, { headers: { 'accept-profile': 'optline_api' } });
    expect(bare.status).toBe(401);
    const anonKey = signHs256Jwt({ role: 'anon', aud: DATA_API_AUDIENCE, exp: Math.floor(NOW.getTime() / 1000) + 600 }, api().jwtSecret);
    const viaAnon = createClient(api().url, anonKey, { db: { schema: 'optline_api' } });
    for (const view of Object.keys(VIEWS)) {
      const { data, status } = await viaAnon.from(view).select('*');
      expect(status, view).toBe(401);
      expect(data, view).toBeNull();
    }
  });

  it('refuses an expired, a forged and a wrong-audience JWT with 401', async () => {
    const owner = actorFor('owner');
    const expired = issueDataToken(owner, { secret: api().jwtSecret, now: new Date(NOW.getTime() - 3_600_000) }).token;
    const forged = issueDataToken(owner, { secret: 'x'.repeat(43), now: NOW }).token;
    const claims = JSON.parse(Buffer.from(jwtFor(owner).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const wrongAudience = signHs256Jwt({ ...claims, aud: 'someone-else' }, api().jwtSecret);
    for (const [what, jwt] of Object.entries({ expired, forged, wrongAudience })) {
      const { data, status } = await clientWith(jwt).from('runs').select('*');
      expect(status, what).toBe(401);
      expect(data, what).toBeNull();
    }
  });

  it('answers with the app’s security headers and refuses a large body', async () => {
    const res = await fetch(`${api().url}/rest/v1/flows`, {
      headers: { authorization: `Bearer ${jwtFor(actorFor('editor'))}`, 'accept-profile': 'optline_api' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const tooLarge = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${api().url}/rest/v1/flows`, { method: 'GET', headers: { 'content-length': '9000' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end('x'.repeat(9000));
    });
    expect(tooLarge).toBe(413);
  });
});

describe('no view shows a secret or a whole phone number', () => {
  it('scans every column of every view (as listed by the database) for tokens, codes and unmasked personal fields', async () => {
    const { rows: columns } = await db().pool.query<{ view: string; column: string }>(
      `select table_name as view, column_name as column from information_schema.columns where table_schema = 'optline_api' order by 1, 2`,
    );
    const views = [...new Set(columns.map((c) => c.view))];
    expect(views.sort()).toEqual(Object.keys(VIEWS).sort());
    const client = clientWith(jwtFor(actorFor('owner')));
    const national = phone.slice(2);
    const forbidden = [PAY_TOKEN, PAY_TOKEN_HASH, CHECKOUT_URL, PROVIDER_SESSION, PROVIDER_SID, phone, national, 'Ada', 'Lovelace'];
    let scanned = 0;
    for (const { view, column } of columns) {
      // A flow version's content hash and its analyzer report's hash are public (they name what a review approved); any other hash is a secret's.
      if (column !== 'content_hash' && column !== 'verdict_report_hash')
        expect(column, `${view}.${column}`).not.toMatch(/token|secret|password|hash|_enc$|e164|session|checkout|sid$/);
      const { data, error } = await client.from(view).select(column);
      expect(error, `${view}.${column}`).toBeNull();
      for (const row of data as unknown as Record<string, unknown>[]) {
        const text = JSON.stringify(row[column]) ?? '';
        scanned++;
        for (const secret of forbidden) expect(text, `${view}.${column}`).not.toContain(secret);
        expect(text, `${view}.${column}: a phone number`).not.toMatch(/\+\d{7,}/);
        expect(text, `${view}.${column}: a payment link's token`).not.toMatch(/\/pay\/[A-Za-z0-9_-]{20,}/);
        expect(text, `${view}.${column}: a one-time code`).not.toMatch(/code \d{4,}/);
      }
    }
    expect(scanned).toBeGreaterThan(50);
  });

  it('masks phone numbers as the console does and a stored payment link', async () => {
    const client = clientWith(jwtFor(actorFor('editor')));
    const { data: runs } = await client.from('runs').select('contact_phone');
    expect(runs).toEqual([{ contact_phone: `+1 •••• ••${phone.slice(-4, -2)} ${phone.slice(-2)}` }]);
    const { data: texts } = await client.from('messages').select('body').eq('direction', 'outbound');
    expect(texts).toEqual([{ body: 'Pay here: https://optline.test/pay/… code ••••••' }]);
  });
});
