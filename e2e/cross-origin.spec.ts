import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from '@playwright/test';
import { expect, test } from './helpers';
import { storageStateOf } from './people';

/**
 * A signed-in person's cookie is never enough to change anything from
 * another origin: the owner's session, sent from another site or another
 * port of the same host, creates no admin, no token, no contact and changes
 * no setting; JSON routes refuse a `text/plain` body (the kind a cross-site
 * form or `no-cors` fetch can send without asking) with 415.
 */

const WRITES: { method: string; url: string; data: unknown }[] = [
  { method: 'PATCH', url: '/api/settings', data: { brand: 'Evil Corp' } },
  {
    method: 'POST',
    url: '/api/users',
    data: { name: 'Mallory', email: 'mallory@evil.test', password: 'correct horse battery staple 42', role: 'admin' },
  },
  { method: 'POST', url: '/api/tokens', data: { name: 'stolen', scopes: ['read'] } },
  { method: 'POST', url: '/api/contacts', data: { phone: '+12125550199', name: 'Planted' } },
];

test('the owner’s cookie from another origin changes nothing (403 naming the origin expected), and text/plain JSON is refused (415)', async ({
  baseURL,
}) => {
  const owner = await request.newContext({ baseURL, storageState: storageStateOf('owner') });
  const port = new URL(baseURL!).port;
  for (const origin of ['http://evil.example', `http://127.0.0.1:8099`, `http://localhost:${Number(port) + 1}`]) {
    for (const w of WRITES) {
      const res = await owner.fetch(w.url, {
        method: w.method,
        headers: { origin, 'content-type': 'application/json' },
        data: JSON.stringify(w.data),
      });
      expect(res.status(), `${w.method} ${w.url} from ${origin}`).toBe(403);
      expect((await res.json()).error.message).toContain(baseURL!);
    }
  }
  for (const w of WRITES) {
    const res = await owner.fetch(w.url, {
      method: w.method,
      headers: { origin: baseURL!, 'content-type': 'text/plain' },
      data: JSON.stringify(w.data),
    });
    expect(res.status(), `${w.method} ${w.url} as text/plain`).toBe(415);
  }
  const users = (await (await owner.get('/api/users')).json()) as { users: { email: string }[] };
  expect(users.users.map((u) => u.email)).not.toContain('mallory@evil.test');
  expect((await (await owner.get('/api/settings')).json()).settings.brand).not.toBe('Evil Corp');
  expect((await owner.get('/api/contacts?phone=%2B12125550199')).status()).toBe(404);
  await owner.dispose();
});

test('in Chromium, a page on another port of the same host cannot create an admin through the owner’s session', async ({
  browser,
  baseURL,
}) => {
  // The attacker's page is served by a real server on another port of the same host: the same site, so the
  // browser sends the owner's SameSite=Lax cookie along (and, being loopback too, Chromium lets it reach the app).
  const page = `<!doctype html><title>Win a prize</title><script>
    const body = JSON.stringify({ name: 'Mallory', email: 'mallory2@evil.test', password: 'correct horse battery staple 42', role: 'admin' });
    fetch(${JSON.stringify(`${baseURL}/api/users`)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body })
      .then(() => { document.title = 'sent'; }, (e) => { document.title = 'failed: ' + e; });
  </script>`;
  const attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
  await new Promise<void>((resolve) => attacker.listen(0, new URL(baseURL!).hostname, resolve));
  const { port } = attacker.address() as AddressInfo;
  const context = await browser.newContext({ storageState: storageStateOf('owner') });
  const tab = await context.newPage();
  const answered = tab.waitForResponse((res) => res.url() === `${baseURL}/api/users` && res.request().method() === 'POST');
  await tab.goto(`http://${new URL(baseURL!).hostname}:${port}/prize`);
  await expect(tab).toHaveTitle('sent');
  expect((await answered).status()).toBe(403);
  const owner = await request.newContext({ baseURL, storageState: storageStateOf('owner') });
  const users = (await (await owner.get('/api/users')).json()) as { users: { email: string }[] };
  expect(users.users.map((u) => u.email)).not.toContain('mallory2@evil.test');
  await owner.dispose();
  await context.close();
  attacker.close();
});
