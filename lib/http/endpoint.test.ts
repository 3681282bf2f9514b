import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { actorFor, signedInAs } from '@/lib/auth/testing/actors';
import type { Actor } from '@/lib/access/roles';
import { ERROR_STATUS, AppError } from '@/lib/app-error';
import { BODY_LIMITS, endpoints, jsonBody, rawBody, textBody } from './endpoint';

const ORIGIN = 'https://optline.example';
const origins = () => [ORIGIN];
const ok = async () => new Response('ok');

const endpointAs = (actor: Actor | null, log = vi.fn()) => endpoints({ authenticate: signedInAs(actor), origins, log });

const write = (headers: Record<string, string>, body = '{"name":"A"}', url = `${ORIGIN}/api/x`) =>
  new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** A body that would stream `total` bytes in 64 KB chunks, counting what was pulled. */
function streamOf(total: number) {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; path?: string } }).error;

describe('the origin of a write', () => {
  const post = endpointAs(actorFor('owner'))(
    { access: 'settings.edit', doc: 'outside-the-api', body: jsonBody(z.object({ name: z.string() })) },
    ok,
  );

  it('accepts a write from our own origin', async () => {
    expect((await post(write({ origin: ORIGIN }))).status).toBe(200);
  });

  it('refuses a write from another site, naming it and the origin expected', async () => {
    const res = await post(write({ origin: 'http://evil.example' }));
    expect(res.status).toBe(403);
    const error = await errorOf(res);
    expect(error.message).toContain('http://evil.example');
    expect(error.message).toContain(ORIGIN);
    expect(error.message).toContain('PUBLIC_URL');
  });

  it('refuses a page on another port of the same host (same site, another origin)', async () => {
    expect((await post(write({ origin: 'https://optline.example:8099' }))).status).toBe(403);
  });

  it('refuses an opaque origin ("null", a sandboxed frame) unless the browser says the request is same-origin (a form on a no-referrer page)', async () => {
    expect((await post(write({ origin: 'null' }))).status).toBe(403);
    expect((await post(write({ origin: 'null', 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    expect((await post(write({ origin: 'null', 'sec-fetch-site': 'same-origin' }))).status).toBe(200);
  });

  it('falls back on Sec-Fetch-Site, then Referer, and refuses a write that names no origin', async () => {
    expect((await post(write({ 'sec-fetch-site': 'same-origin' }))).status).toBe(200);
    expect((await post(write({ 'sec-fetch-site': 'same-site' }))).status).toBe(403);
    expect((await post(write({ 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    expect((await post(write({ referer: `${ORIGIN}/settings` }))).status).toBe(200);
    expect((await post(write({ referer: 'http://evil.example/page' }))).status).toBe(403);
    expect((await post(write({}))).status).toBe(403);
  });

  it('does not check a request with an API token (no browser attaches that header)', async () => {
    expect((await post(write({ origin: 'http://evil.example', authorization: 'Bearer optl_x' }))).status).toBe(200);
  });

  it('does not check reads, nor webhooks (their signature is the check)', async () => {
    const get = endpointAs(actorFor('owner'))({ access: 'read', doc: 'outside-the-api' }, ok);
    expect((await get(new Request(`${ORIGIN}/api/x`, { headers: { origin: 'http://evil.example' } }))).status).toBe(200);
    const hook = endpointAs(null)({ access: 'signature', doc: 'outside-the-api', body: rawBody() }, ok);
    expect((await hook(write({ origin: 'http://evil.example' }))).status).toBe(200);
  });

  it('checks a public write too (the first-start set-up)', async () => {
    const setup = endpointAs(null)({ access: 'public', doc: 'outside-the-api', body: jsonBody(z.object({ name: z.string() })) }, ok);
    expect((await setup(write({ origin: 'http://evil.example' }))).status).toBe(403);
    expect((await setup(write({ origin: ORIGIN }))).status).toBe(200);
  });
});

describe('the caller', () => {
  it('answers 401 for nobody and 403 for a role without the permission, before the body is read', async () => {
    const handler = vi.fn(ok);
    for (const [actor, status] of [
      [null, 401],
      [actorFor('editor'), 403],
    ] as const) {
      const { stream, pulled } = streamOf(10 * 1024 * 1024);
      const request = new Request(`${ORIGIN}/x`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(
        (await endpointAs(actor)({ access: 'settings.edit', doc: 'outside-the-api', body: jsonBody(z.unknown()) }, handler)(request))
          .status,
      ).toBe(status);
      expect(pulled()).toBeLessThanOrEqual(2 * 64 * 1024);
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('lets anyone signed in reach a signed-in route, and nobody not', async () => {
    const me = (actor: Actor | null) =>
      endpointAs(actor)({ access: 'signed-in', doc: 'outside-the-api' }, async ({ actor: a }) => new Response(a.role))(
        new Request(`${ORIGIN}/api/me`),
      );
    expect(await (await me(actorFor('reviewer'))).text()).toBe('reviewer');
    expect((await me(null)).status).toBe(401);
  });
});

describe('the body', () => {
  const schema = z.strictObject({ name: z.string().min(1, { error: 'name the flow' }) });
  const post = endpointAs(actorFor('owner'))({ access: 'flows.edit', doc: 'outside-the-api', body: jsonBody(schema) }, async ({ body }) =>
    Response.json(body),
  );

  it('hands the handler the validated body', async () => {
    expect(await (await post(write({ origin: ORIGIN }))).json()).toEqual({ name: 'A' });
  });

  it('refuses another content type with a 415 (a cross-site form cannot send JSON without asking first)', async () => {
    const res = await post(write({ origin: ORIGIN, 'content-type': 'text/plain' }));
    expect(res.status).toBe(415);
    expect((await errorOf(res)).message).toContain('application/json');
    expect((await post(write({ origin: ORIGIN, 'content-type': 'application/merge-patch+json' }))).status).toBe(200);
  });

  it('refuses a declared size over the limit with a 413 before reading a byte', async () => {
    const { stream, pulled } = streamOf(300 * 1024 * 1024);
    const res = await post(
      new Request(`${ORIGIN}/x`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(pulled()).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it('stops reading a chunked body at the limit and answers 413', async () => {
    const { stream, pulled } = streamOf(300 * 1024 * 1024);
    const res = await post(
      new Request(`${ORIGIN}/x`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect((await errorOf(res)).message).toContain('64 KB');
    expect(pulled()).toBeLessThanOrEqual(BODY_LIMITS.json + 3 * 64 * 1024);
  });

  it('refuses malformed JSON, naming the problem', async () => {
    const res = await post(write({ origin: ORIGIN }, '{nope'));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('invalid_json');
  });

  it('names the path of every invalid field', async () => {
    const res = await post(write({ origin: ORIGIN }, '{"name":"","x":1}'));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', details: expect.arrayContaining([{ path: 'name', message: 'name the flow' }]) },
    });
  });

  it('refuses JSON nested 10,000 deep with a 400 naming where, without overflowing the stack', async () => {
    const free = endpointAs(actorFor('owner'))(
      { access: 'runs.write', doc: 'outside-the-api', body: jsonBody(z.object({ vars: z.unknown() })) },
      ok,
    );
    const res = await free(write({ origin: ORIGIN }, `{"vars":${'['.repeat(10_000)}${']'.repeat(10_000)}}`));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/^vars\[0\].*nested deeper than 32 levels/);
  });

  it('refuses a NUL character in a string or key with a 400 naming its path', async () => {
    const free = endpointAs(actorFor('owner'))(
      { access: 'runs.write', doc: 'outside-the-api', body: jsonBody(z.object({ vars: z.unknown() })) },
      ok,
    );
    const res = await free(write({ origin: ORIGIN }, '{"vars":{"note":["a\\u0000b"]}}'));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ path: 'vars.note[0]' });
  });

  it('takes a text body only in its media types, bounded', async () => {
    const csv = endpointAs(actorFor('owner'))(
      { access: 'contacts.write', body: textBody(['text/csv'], 10), doc: 'outside-the-api' },
      async ({ body }) => new Response(body),
    );
    expect(await (await csv(write({ origin: ORIGIN, 'content-type': 'text/csv' }, 'a,b\n'))).text()).toBe('a,b\n');
    expect((await csv(write({ origin: ORIGIN, 'content-type': 'application/json' }, 'a,b\n'))).status).toBe(415);
    expect((await csv(write({ origin: ORIGIN, 'content-type': 'text/csv' }, 'a,b,c,d,e,f\n'))).status).toBe(413);
  });
});

describe('the query string and path', () => {
  const list = endpointAs(actorFor('owner'))(
    {
      access: 'read',
      query: z.object({ limit: z.coerce.number().int().max(10).optional() }),
      params: z.object({ id: z.string().max(5) }),
      doc: 'outside-the-api',
    },
    async ({ query, params }) => Response.json({ query, params }),
  );
  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

  it('hands the handler the parsed query and parameters', async () => {
    expect(await (await list(new Request(`${ORIGIN}/x?limit=3`), ctx('ab'))).json()).toEqual({ query: { limit: 3 }, params: { id: 'ab' } });
  });

  it('refuses a bad parameter with a 400 naming it', async () => {
    const res = await list(new Request(`${ORIGIN}/x?limit=99`), ctx('ab'));
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/^limit \(in the query string\)/);
    expect((await list(new Request(`${ORIGIN}/x`), ctx('abcdefgh'))).status).toBe(400);
  });

  it('refuses a NUL character in any query parameter, even one the route does not read', async () => {
    const res = await list(new Request(`${ORIGIN}/x?q=a%00b`), ctx('ab'));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ path: 'q' });
  });
});

describe('errors', () => {
  it('answers an AppError with its status and JSON body', async () => {
    const res = await endpointAs(actorFor('owner'))({ access: 'read', doc: 'outside-the-api' }, async () => {
      throw new AppError('not_found', 'there is no flow "x"', { path: 'id' });
    })(new Request(`${ORIGIN}/x`));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'there is no flow "x"', path: 'id' } });
  });

  it('answers an unexpected error with a 500 that leaks nothing, and logs the cause', async () => {
    const log = vi.fn();
    const res = await endpointAs(actorFor('owner'), log)({ access: 'read', doc: 'outside-the-api' }, async () => {
      throw new Error('connection refused at 10.0.0.3:5432');
    })(new Request(`${ORIGIN}/x`));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('10.0.0.3');
    expect(text).not.toContain('at ');
    expect(JSON.parse(text).error.code).toBe('internal');
    expect(log).toHaveBeenCalledOnce();
  });

  it('maps every error code to a 4xx or 5xx status', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
  });

  it('recognises an AppError made by another copy of the module (Next.js bundles lib/ again)', async () => {
    const copy = (await import(/* @vite-ignore */ `../app-error?copy=${Date.now()}`)) as typeof import('@/lib/app-error');
    expect(copy.AppError).not.toBe(AppError);
    const res = await endpointAs(actorFor('owner'))({ access: 'read', doc: 'outside-the-api' }, async () => {
      throw new copy.AppError('gone', 'that link expired');
    })(new Request(`${ORIGIN}/x`));
    expect(res.status).toBe(410);
  });
});

describe('a route without path parameters', () => {
  it('takes the context Next.js passes with params undefined', async () => {
    const get = endpointAs(actorFor('owner'))({ access: 'read', doc: 'outside-the-api' }, async ({ params }) => Response.json(params));
    const res = await get(new Request(`${ORIGIN}/x`), { params: Promise.resolve(undefined as unknown as Record<string, string>) });
    expect(await res.json()).toEqual({});
  });
});
