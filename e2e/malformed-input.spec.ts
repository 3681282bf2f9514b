import { request, type APIRequestContext } from '@playwright/test';
import fc from 'fast-check';
import { expect, test } from './helpers';
import { storageStateOf } from './people';
import { discoverRoutes } from './routes';

/**
 * Malformed input never makes the server fail: generated query strings,
 * path parameters and bodies (not JSON, JSON of the wrong shape, nested
 * thousands deep, NUL characters, numbers past any id, dates that are not
 * dates, the wrong content type) sent to every API route and the public
 * payment pages, as the owner (who may do most) and as a reviewer (who may
 * decide reviews), each answer must be below 500. A failure prints the
 * request and fast-check's seed to replay it.
 */

// Values people and attackers type: each was once a 500 somewhere, or is the kind that is.
const NASTY = [
  'x',
  '\u0000',
  'a\u0000b',
  '99999999999999999999',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '2026-13-45',
  '2026-02-30',
  '0000-00-00',
  '275760-09-13',
  '-'.repeat(36),
  '00000000-0000-0000-0000-000000000000',
  '%',
  '%00',
  '../../etc/passwd',
  '{"a":1}',
  '[]',
  'true',
  'null',
  "' or 1=1 --",
  '😀',
  '\uD800',
  'x'.repeat(3000),
  ' ',
  '\n',
  '1,2,3',
  'active,nope',
];
const text = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 24 }));
const segment = fc.oneof(
  fc.constantFrom(...NASTY.filter((v) => v.trim() !== '' && v !== '%')),
  fc.string({ minLength: 1, maxLength: 40 }).filter((v) => v.trim() !== '' && v !== '.' && v !== '..'),
);

const QUERY_KEYS = [
  'from',
  'to',
  'before',
  'limit',
  'q',
  'cursor',
  'status',
  'flow',
  'contact',
  'view',
  'action',
  'purpose',
  'source',
  'contactId',
  'phone',
  'file',
  'actor',
  'subjectType',
  'subjectId',
  'after',
  'on',
];
const query = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), text, { maxKeys: 4 });

// Field names the API's bodies have, so generated objects reach the schemas' inner checks and not only the first.
const FIELDS = [
  'phone',
  'name',
  'flowId',
  'contactId',
  'vars',
  'data',
  'key',
  'on',
  'draft',
  'text',
  'document',
  'decision',
  'comment',
  'acknowledgedWarnings',
  'role',
  'disabled',
  'email',
  'password',
  'scopes',
  'brand',
  'helpText',
  'pausedMarketingStates',
  'from',
  'body',
  'template',
  'consent',
  'zip',
  'zone',
  'state',
  'dateOfBirth',
  'attributes',
];
const value = fc.oneof(text, fc.jsonValue({ maxDepth: 3 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const deep = fc.integer({ min: 33, max: 10_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.tuple(fc.constantFrom('vars', 'data', 'draft', 'document', 'attributes'), deep).map(([k, d]) => `{"${k}":${d}}`),
  text,
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
);

const PUBLIC_PAGES = ['GET /pay/[token]', 'POST /pay/[token]/outcome', 'GET /pay/receipt/[id]'];

test('no generated malformed query, path or body makes any route answer 500', async ({ baseURL }) => {
  test.setTimeout(300_000);
  const routes = [...discoverRoutes(), ...PUBLIC_PAGES];
  const callers: APIRequestContext[] = await Promise.all(
    (['owner', 'reviewer'] as const).map((role) =>
      request.newContext({ baseURL, storageState: storageStateOf(role), extraHTTPHeaders: { origin: baseURL! } }),
    ),
  );
  const failures: string[] = [];
  for (const route of routes) {
    const [method, pattern] = route.split(' ') as [string, string];
    const writes = method !== 'GET' && method !== 'DELETE';
    let smallest = '';
    const details = await fc.check(
      fc.asyncProperty(fc.nat(callers.length - 1), segment, query, body, contentType, async (who, id, q, payload, type) => {
        // A lone surrogate cannot be percent-encoded (encodeURIComponent throws): a browser sends U+FFFD for it.
        const path = pattern.replace(/\[[A-Za-z]+\]/g, encodeURIComponent(id.replace(/[\uD800-\uDFFF]/g, '\uFFFD')));
        const search = new URLSearchParams(q).toString();
        const url = `${path}${search ? `?${search}` : ''}`;
        const described = `${method} ${url} as ${who === 0 ? 'owner' : 'reviewer'} (${type || 'no type'}) with ${JSON.stringify(payload.slice(0, 200))}`;
        let status: number;
        try {
          const res = await callers[who]!.fetch(url, {
            method,
            maxRedirects: 0,
            headers: writes && type ? { 'content-type': type } : {},
            ...(writes ? { data: payload } : {}),
          });
          status = res.status();
        } catch (err) {
          // While fast-check shrinks, the last failure is the smallest.
          smallest = `${described}: no answer (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
          return false;
        }
        if (status < 500) return true;
        smallest = `${described}: ${status}`;
        return false;
      }),
      { numRuns: 20 },
    );
    if (details.failed) failures.push(`${smallest} (replay: seed ${details.seed}, path ${details.counterexamplePath})`);
  }
  for (const c of callers) await c.dispose();
  expect(failures).toEqual([]);
});
