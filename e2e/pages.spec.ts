import { readdirSync } from 'node:fs';
import path from 'node:path';
import { request, type APIRequestContext, type APIResponse } from '@playwright/test';
import { can, ROLES, type Role } from '@/lib/access/roles';
import { expect, test } from './helpers';
import { PEOPLE, storageStateOf } from './people';

/**
 * Every page checks who is asking where it reads its data, not only in the
 * console's layout: Next.js renders a layout and its page independently (a
 * client-side navigation asks for the page alone), so a layout is never the
 * lock. Data planted for the test must never reach a signed-out visitor, by
 * any response, redirects included; each role sees what its permissions allow.
 */

/** Every `app/**\/page.tsx` as its route pattern, e.g. `/flows/[id]/versions` (route groups dropped), with whether it is in the console (or the developers' pages, signed in too). */
function discoverPages(): { pattern: string; console: boolean }[] {
  const out: { pattern: string; console: boolean }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'page.tsx') {
        const segments = path
          .relative('app', path.dirname(full))
          .split(path.sep)
          .filter((s) => s !== '');
        out.push({
          pattern: `/${segments.filter((s) => !/^\(.*\)$/.test(s)).join('/')}`,
          console: segments[0] === '(console)' || segments[0] === '(developers)',
        });
      }
    }
  };
  walk(path.resolve('app'));
  return out.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

// Distinctive enough that no page shows them by chance.
const PLANTED = {
  flowName: 'Halcyon Quokka Reminders',
  contactName: 'Quintessa Vanderquill',
  phone: '+13129870417',
  consentText: 'Send me periwinkle marmot bulletins',
};
const SECRETS = [
  PLANTED.flowName,
  PLANTED.contactName,
  PLANTED.phone,
  '3129870417',
  PLANTED.consentText,
  ...Object.values(PEOPLE).map((p) => p.email),
];
const NOWHERE = '00000000-0000-4000-8000-00000000abcd';
/** Pages asked for a record nobody knows (NOWHERE) that answer a signed-in reader with Next's 404 page. */
const NOT_FOUND_PAGES = new Set(['/campaigns/[id]']);
const NO_SESSION = { cookies: [], origins: [] };

/**
 * What a client-side navigation sends: the router's state tree says the root
 * and the `(console)` layout are already on screen (with the home page, or
 * the dashboard when the home page itself is asked for, else Next renders
 * nothing new), so Next.js renders only the segments below the layout (see
 * Next's parse-and-validate-flight-router-state and base-server's `_rsc` check).
 */
function rscHeaders(url: string): Record<string, string> {
  const fromHome = url.split('?')[0] !== '/';
  const onScreen = fromHome ? ['__PAGE__', {}] : ['dashboard', { children: ['__PAGE__', {}] }];
  return {
    rsc: '1',
    'next-router-state-tree': encodeURIComponent(JSON.stringify(['', { children: ['(console)', { children: onScreen }] }])),
    'next-url': fromHome ? '/' : '/dashboard',
  };
}

interface Planted {
  flowId: string;
  versionId: string;
  contactId: string;
  segmentId: string;
}

/** The addresses to request for a page pattern, with its ids filled in (a page with an id nobody knows fails here until it is given one). */
function urlsOf(pattern: string, ids: Planted): string[] {
  const byPattern: Record<string, string[]> = {
    '/contacts': ['/contacts', '/contacts?q=vanderquill'],
    '/contacts/[id]': [`/contacts/${ids.contactId}`],
    '/flows/[id]': [`/flows/${ids.flowId}`],
    '/flows/[id]/versions': [`/flows/${ids.flowId}/versions`],
    '/flows/[id]/versions/[versionId]': [`/flows/${ids.flowId}/versions/${ids.versionId}`],
    '/runs/[id]': [`/runs/${NOWHERE}`],
    '/segments/[id]': [`/segments/${ids.segmentId}`],
    // A campaign needs an approved, active version to exist: the page is asked for one nobody knows (NOT_FOUND_PAGES).
    '/campaigns/[id]': [`/campaigns/${NOWHERE}`],
    '/pay/receipt/[id]': [`/pay/receipt/${NOWHERE}`],
  };
  const urls = byPattern[pattern] ?? [pattern];
  for (const u of urls) expect(u, `${pattern}: give this page's [segments] real ids in e2e/pages.spec.ts`).not.toMatch(/\[/);
  return urls;
}

/** What a signed-in role must see on a console page (the planted data with `read`; the rest by permission). */
function mustShow(url: string, role: Role): { present: string[]; absent: string[] } {
  const path = url.split('?')[0]!;
  if (path === '/consent') return { present: [PLANTED.consentText, PLANTED.contactName, PLANTED.phone], absent: [] };
  if (path === '/contacts') return { present: [PLANTED.contactName, PLANTED.phone], absent: [] };
  if (path.startsWith('/contacts/')) return { present: [PLANTED.contactName, PLANTED.phone, PLANTED.consentText], absent: [] };
  if (path === '/flows' || path === '/runs' || path.startsWith('/flows/')) return { present: [PLANTED.flowName], absent: [] };
  // The audit page names everyone (its people list); the settings page lists them to those who manage people.
  if (path === '/audit')
    return can({ role, via: 'session', userId: '', email: '', name: '' }, 'audit.export')
      ? { present: [PEOPLE.owner.email], absent: [] }
      : { present: ['open to owners, admins and reviewers'], absent: [PEOPLE.owner.email] };
  // The review queue lists the planted submitted version to those who decide; the others get a sentence.
  if (path === '/reviews')
    return can({ role, via: 'session', userId: '', email: '', name: '' }, 'reviews.decide')
      ? { present: [PLANTED.flowName, PEOPLE.editor.name], absent: [] }
      : { present: ['The review queue is for reviewers'], absent: [PLANTED.flowName] };
  if (path === '/settings')
    return can({ role, via: 'session', userId: '', email: '', name: '' }, 'users.manage')
      ? { present: [PEOPLE.editor.email, PEOPLE.owner.email], absent: [] }
      : { present: [], absent: [PEOPLE.owner.email] };
  if (path === '/account') return { present: [PEOPLE[role].email], absent: [] };
  return { present: [], absent: [] };
}

async function plant(editor: APIRequestContext, origin: string): Promise<Planted> {
  const headers = { origin };
  const created = await editor.post('/api/flows', { headers, data: { name: PLANTED.flowName, template: 'appointment-reminder' } });
  expect(created.status(), await created.text()).toBe(201);
  const flowId = ((await created.json()) as { flow: { id: string } }).flow.id;
  const submitted = await editor.post(`/api/flows/${encodeURIComponent(flowId)}/versions`, { headers });
  expect(submitted.ok(), await submitted.text()).toBe(true);
  const versionId = ((await submitted.json()) as { version: { id: string } }).version.id;
  const csv = `phone,name,consent_purpose,consent_text,consent_at,consent_channel\n${PLANTED.phone},${PLANTED.contactName},marketing,${PLANTED.consentText},2026-02-01T15:00:00Z,web\n`;
  const imported = await editor.post('/api/contacts/import', { headers: { ...headers, 'content-type': 'text/csv' }, data: csv });
  expect(imported.ok(), await imported.text()).toBe(true);
  const found = await editor.get(`/api/contacts?q=${encodeURIComponent(PLANTED.phone)}`);
  const contactId = ((await found.json()) as { contacts: { id: string }[] }).contacts[0]!.id;
  const segment = await editor.post('/api/segments', {
    headers,
    data: { name: 'Planted segment', filter: { all: [{ field: 'consent', purpose: 'marketing', status: 'granted' }] } },
  });
  expect(segment.status(), await segment.text()).toBe(201);
  const segmentId = ((await segment.json()) as { segment: { id: string } }).segment.id;
  return { flowId, versionId, contactId, segmentId };
}

/** A response's status and body, described for a failure message. */
async function seen(res: APIResponse): Promise<{ status: number; body: string; location: string | undefined }> {
  return { status: res.status(), body: await res.text(), location: res.headers()['location'] };
}

test('no page shows its data to a signed-out visitor, by a plain request or a client-side navigation; each role sees what it may', async ({
  baseURL,
}) => {
  test.setTimeout(180_000);
  const editor = await request.newContext({ baseURL, storageState: storageStateOf('editor') });
  const ids = await plant(editor, baseURL!);
  await editor.dispose();

  const pages = discoverPages();
  expect(pages.filter((p) => p.console).map((p) => p.pattern)).toContain('/consent');
  const nobody = await request.newContext({ baseURL, storageState: NO_SESSION });
  const failures: string[] = [];
  const leaks = (what: string, r: { status: number; body: string }) => {
    for (const s of SECRETS) if (r.body.includes(s)) failures.push(`${what}: ${r.status} with "${s}" in the body`);
  };

  for (const page of pages) {
    for (const url of urlsOf(page.pattern, ids)) {
      // (a) A plain request, as a browser's address bar sends it.
      const plain = await seen(await nobody.get(url, { maxRedirects: 0 }));
      leaks(`nobody GET ${url}`, plain);
      if (page.console && plain.status === 200) failures.push(`nobody GET ${url}: 200`);

      // (b) A client-side navigation: Next answers a 307 to the same address with its `_rsc` check, then the page itself.
      const first = await seen(await nobody.get(url, { headers: rscHeaders(url), maxRedirects: 0 }));
      leaks(`nobody RSC ${url}`, first);
      if (first.status === 307 && first.location?.includes('_rsc=')) {
        const again = await seen(await nobody.get(first.location, { headers: rscHeaders(url), maxRedirects: 0 }));
        leaks(`nobody RSC ${first.location}`, again);
        // Next answers a navigation with 200 even when the page redirects (the redirect travels in the payload): it must be that redirect, not the page.
        if (page.console && again.status === 200 && !/NEXT_REDIRECT;[^;]*;\/(sign-in|setup)/.test(again.body))
          failures.push(`nobody RSC ${first.location}: 200 without a redirect to sign-in`);
      } else if (page.console)
        failures.push(
          `nobody RSC ${url}: ${first.status}, expected Next's 307 to the same address with _rsc (has Next changed how it checks navigations?)`,
        );
    }
  }
  await nobody.dispose();

  // (c) Each role, signed in: the console pages open, with the planted data for those allowed to read it.
  for (const role of ROLES) {
    const ctx = await request.newContext({ baseURL, storageState: storageStateOf(role) });
    for (const page of pages.filter((p) => p.console)) {
      for (const url of urlsOf(page.pattern, ids)) {
        const r = await seen(await ctx.get(url, { maxRedirects: 0 }));
        const expected = NOT_FOUND_PAGES.has(page.pattern) ? 404 : 200;
        if (r.status !== expected) {
          failures.push(`${role} GET ${url}: ${r.status}${r.location ? ` to ${r.location}` : ''}, expected ${expected}`);
          continue;
        }
        const { present, absent } = mustShow(url, role);
        for (const s of present) if (!r.body.includes(s)) failures.push(`${role} GET ${url}: "${s}" is missing`);
        for (const s of absent) if (r.body.includes(s)) failures.push(`${role} GET ${url}: "${s}" is shown`);
      }
    }
    await ctx.dispose();
  }
  expect(failures).toEqual([]);
});
