/**
 * Probes a running Optline as an attacker would, for the findings the
 * security work fixed, and prints what it saw:
 *
 *   npm run -s security-probe -- <base URL> [server pid]
 *
 * - 60 wrong passwords with a new X-Forwarded-For each (the limit must hold);
 * - a 300 MB body, declared and chunked, to every route that takes a body
 *   (each must be refused at once; with the server's pid, its RSS before and after);
 * - the security headers on /sign-in and /pay/<token>;
 * - a write from another origin.
 *
 * Only against an installation you own: it uses up the sign-in limit of the
 * address it runs from for a minute.
 */
import { readFileSync } from 'node:fs';

const [base, pid] = process.argv.slice(2);
function usage(problem: string): never {
  console.error(`security-probe: ${problem}\nusage: security-probe <base URL> [server pid]`);
  process.exit(2);
}
if (!base) usage('give the base URL of a running Optline, e.g. http://localhost:3000');
if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) usage(`"${base}" is not an http(s) URL`);
if (pid !== undefined && !/^\d+$/.test(pid)) usage(`"${pid}" is not a process id`);
const rssMb = () => (pid ? Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024 : NaN);

const statuses: number[] = [];
for (let i = 0; i < 60; i++) {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, 'x-forwarded-for': `203.0.113.${i}` },
    body: JSON.stringify({ email: `probe${i % 3}@example.test`, password: 'not the password 123' }),
  });
  statuses.push(res.status);
}
const tally = statuses.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});
console.log(
  `sign-in, 60 wrong passwords under rotating X-Forwarded-For: ${JSON.stringify(tally)}; first 429 at attempt ${statuses.indexOf(429) + 1}`,
);

const ROUTES = [
  '/api/webhooks/stripe',
  '/api/webhooks/twilio/inbound',
  '/api/setup',
  '/api/flows',
  '/api/flows/import',
  '/api/contacts/import',
  '/api/contacts',
  '/api/runs',
  '/api/events',
  '/api/users',
  '/api/tokens',
  '/api/auth/sign-in/email',
  '/pay/probe/outcome',
];
const before = rssMb();
let slowest = 0;
for (const route of ROUTES) {
  for (const declared of [true, false]) {
    const size = 300 * 1024 * 1024;
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= size) return c.close();
        sent += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    const started = performance.now();
    let answer: string;
    try {
      const res = await fetch(`${base}${route}`, {
        method: 'POST',
        duplex: 'half',
        headers: {
          'content-type': route === '/api/contacts/import' ? 'text/csv' : 'application/json',
          origin: base,
          ...(declared ? { 'content-length': String(size) } : {}),
        },
        body,
      } as RequestInit);
      answer = String(res.status);
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      // The server answered and closed while the body was still being sent.
      answer = `closed (${(err as { cause?: { code?: string } }).cause?.code ?? String(err)})`;
    }
    const ms = performance.now() - started;
    slowest = Math.max(slowest, ms);
    console.log(
      `${route} ${declared ? 'declared' : 'chunked '}: ${answer} after ${ms.toFixed(0)} ms, ${(sent / 1024 / 1024).toFixed(1)} MB offered`,
    );
  }
}
console.log(
  `slowest answer ${slowest.toFixed(0)} ms${pid ? `; server RSS ${before.toFixed(0)} MB before, ${rssMb().toFixed(0)} MB after` : ''}`,
);

for (const path of ['/sign-in', '/pay/probe']) {
  const res = await fetch(`${base}${path}`, { redirect: 'manual' });
  const h = (name: string) => res.headers.get(name) ?? '(none)';
  console.log(
    `${path}: ${res.status}; CSP ${h('content-security-policy')}; X-Frame-Options ${h('x-frame-options')}; nosniff ${h('x-content-type-options')}; Referrer-Policy ${h('referrer-policy')}; Permissions-Policy ${h('permissions-policy')}`,
  );
}

const crossSite = await fetch(`${base}/api/settings`, {
  method: 'PATCH',
  headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
  body: '{"brand":"x"}',
});
console.log(`PATCH /api/settings from http://evil.example: ${crossSite.status} ${(await crossSite.text()).slice(0, 160)}`);
