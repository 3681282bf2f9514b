import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { fixedSecurityHeaders } from './security-headers';

/** Where the app server serves the Data API, as a Supabase project does: supabase-js appends it to the URL it is given. */
export const DATA_API_PATH = '/rest/v1';

/** The Data API is read-only: a request's body (an RPC's arguments, which nothing exposes) is at most this. */
export const DATA_API_BODY_LIMIT = 8 * 1024;

/** How long PostgREST may take to answer before the proxy gives up (a 504). */
const UPSTREAM_TIMEOUT_MS = 30_000;

const METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// What supabase-js and PostgREST speak; cookies and anything else stay with the app.
const FORWARDED_HEADERS = [
  'accept',
  'accept-profile',
  'authorization',
  'apikey',
  'content-profile',
  'content-type',
  'prefer',
  'range',
  'range-unit',
  'x-client-info',
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
];

/**
 * Serves the Data API at `/rest/v1` through the app's own server (server.ts):
 * forwards reads to the PostgREST on a loopback port (`target()`, null when
 * none runs: 503), with the security headers of the app, its own body limit
 * (413) and method list (405, read-only), and PostgREST's own answers
 * otherwise (401 for a bad JWT). Returns true when it answered the request.
 */
export function dataApiProxy(target: () => string | null): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '/';
    if (url !== DATA_API_PATH && !url.startsWith(`${DATA_API_PATH}/`) && !url.startsWith(`${DATA_API_PATH}?`)) return false;
    const base = target();
    if (!base) {
      fail(res, 503, 'data_api_unavailable', 'the Data API is not running on this server (see the log at start-up)');
      return true;
    }
    if (!METHODS.has(req.method ?? '')) {
      fail(res, 405, 'method_not_allowed', `the Data API is read-only: ${req.method} is not allowed (use GET); write through /api`, {
        allow: [...METHODS].join(', '),
      });
      return true;
    }
    if (Number(req.headers['content-length'] ?? 0) > DATA_API_BODY_LIMIT) {
      fail(res, 413, 'payload_too_large', `a Data API request body is at most ${DATA_API_BODY_LIMIT / 1024} KB`);
      return true;
    }
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const upstream = httpRequest(
      `${base}${url.slice(DATA_API_PATH.length) || '/'}`,
      { method: req.method, headers, timeout: UPSTREAM_TIMEOUT_MS },
      (answer) => {
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && name !== 'connection' && name !== 'transfer-encoding' && name !== 'server') out[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, { ...out, ...fixedSecurityHeaders(DATA_API_PATH), 'cache-control': 'no-store' });
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
    upstream.on('error', (err) => {
      if (res.headersSent) res.destroy();
      else if (err.message === 'timeout')
        fail(res, 504, 'data_api_timeout', `the Data API did not answer in ${UPSTREAM_TIMEOUT_MS / 1000} s`);
      else fail(res, 502, 'data_api_unavailable', 'the Data API is not answering');
    });
    // A chunked body is counted as it streams: past the limit the request is cut off.
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DATA_API_BODY_LIMIT) {
        upstream.destroy();
        if (!res.headersSent) fail(res, 413, 'payload_too_large', `a Data API request body is at most ${DATA_API_BODY_LIMIT / 1024} KB`);
        req.destroy();
      }
    });
    req.pipe(upstream);
    return true;
  };
}

function fail(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    ...fixedSecurityHeaders(DATA_API_PATH),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(body);
}
