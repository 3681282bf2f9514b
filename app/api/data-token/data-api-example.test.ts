import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '@/lib/auth/api-tokens';
import { actorFor } from '@/lib/auth/testing/actors';
import { testAuthenticator } from '@/lib/auth/testing/authenticator';
import { useDataApi } from '@/lib/db/testing/data-api';
import { approvedActiveVersion, makeContact } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { payByTextDocument } from '@/lib/flow/test-fixtures';
import { dataTokenHandlers } from './data-token-handlers';

const db = useTestDatabase();
const api = useDataApi(db);

// The app's two parts the example talks to: POST /api/data-token (the real handler and authenticator) and /rest/v1 (PostgREST).
let app: Server;
let appUrl = '';
beforeAll(async () => {
  const issue = dataTokenHandlers({ authenticate: testAuthenticator(db().pool), secret: () => api().jwtSecret }).issue;
  app = createServer((req, res) => {
    void (async () => {
      if (req.url !== '/api/data-token' || req.method !== 'POST') {
        const upstream = await fetch(`${api().url}${req.url}`, { headers: req.headers as Record<string, string> });
        res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
        res.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      const answer = await issue(
        new Request(`http://localhost:3000${req.url}`, { method: 'POST', headers: req.headers as Record<string, string> }),
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(await answer.text());
    })();
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

describe('examples/data-api.ts', () => {
  it('prints a flow’s runs and their texts, read with supabase-js through an API token’s JWT', async () => {
    const { pool } = db();
    await pool.query(
      `insert into "auth_users" ("id", "name", "email", "emailVerified", "role") values ('user-dev', 'Dev', 'dev@clinic.test', true, 'developer')`,
    );
    const { secret } = await apiTokens(pool).create({ ...actorFor('developer', 'user-dev') }, { name: 'Example', scopes: ['read'] });
    const contact = await makeContact(pool);
    const version = await approvedActiveVersion(pool, payByTextDocument(), 'pay-flow');
    const {
      rows: [run],
    } = await pool.query<{ id: string }>(`insert into runs (flow_version_id, contact_id, snapshot) values ($1, $2, '{}') returning id`, [
      version.id,
      contact.id,
    ]);
    await pool.query(
      `insert into messages (direction, contact_id, run_id, effect_id, purpose, body, provider, status)
       values ('outbound', $1, $2, $3, 'informational', 'Your bill of $42.50 is ready', 'sandbox', 'sent')`,
      [contact.id, run!.id, `${run!.id}:1:0`],
    );

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'examples/data-api.ts', 'pay-flow'], {
      env: { ...process.env, OPTLINE_URL: appUrl, OPTLINE_TOKEN: secret },
      timeout: 60_000,
    });
    const phone = contact.phone!;
    expect(stdout).toContain(`pay-flow  active  +1 •••• ••${phone.slice(-4, -2)} ${phone.slice(-2)}`);
    expect(stdout).toContain('→ sent: Your bill of $42.50 is ready');
    expect(stdout).not.toContain(phone);
  });
});
