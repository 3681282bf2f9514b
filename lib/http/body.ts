import { formatPath } from '@/lib/flow/problem';
import { AppError } from '@/lib/app-error';
import { formatBytes } from '@/lib/bytes';

/**
 * Reading a request body safely: bounded while it streams (a 300 MB chunked
 * body is refused at the limit, not read into memory), only in the content
 * types a route accepts, and JSON only within a depth and without NUL
 * characters (Postgres text cannot hold them).
 */

/** The deepest nesting any JSON body may have (a flow document nests about 8 deep). */
export const MAX_JSON_DEPTH = 32;

/** The media type of a request, lower case, without parameters ('' when none). */
export function mediaTypeOf(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Refuses (415) a body in a media type the route does not take; `accepts` may hold `application/*+json`-style suffixes as `+json`. */
export function requireMediaType(request: Request, accepts: readonly string[]): void {
  const type = mediaTypeOf(request);
  const ok = accepts.some((a) => (a.startsWith('+') ? type.endsWith(a) : type === a));
  if (!ok) {
    throw new AppError(
      'unsupported_media_type',
      `send the body as ${accepts.filter((a) => !a.startsWith('+')).join(' or ')} (the request says ${type ? `"${type}"` : 'no content type'})`,
      {
        path: 'content-type',
      },
    );
  }
}

/**
 * The body's bytes, refusing (413) as soon as they pass `limit`: a declared
 * Content-Length over the limit is refused before a byte is read, a chunked
 * body when the count passes it (the stream is cancelled there).
 */
export async function readBoundedBytes(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = () => new AppError('payload_too_large', `the request body is over ${formatBytes(limit)}, the most this endpoint takes`);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The body as UTF-8 text within `limit` bytes; bytes that are not UTF-8 are a 400. */
export async function readBoundedText(request: Request, limit: number): Promise<string> {
  return utf8Text(await readBoundedBytes(request, limit));
}

/** Bytes as UTF-8 text; bytes that are not UTF-8 are a 400. */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('bad_request', 'the request body is not UTF-8 text');
  }
}

/** Parses JSON text and checks its shape (`checkJsonShape`); an empty or malformed body is a 400. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw new AppError('invalid_json', 'the request has no body: send a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('invalid_json', `the request body is not valid JSON${err instanceof SyntaxError ? ` (${err.message})` : ''}`);
  }
  checkJsonShape(value);
  return value;
}

/**
 * Refuses (400, naming the path) a JSON value nested deeper than `maxDepth`
 * or holding a NUL character in a string or key. Iterative, so a hostile
 * depth cannot overflow the stack.
 */
export function checkJsonShape(value: unknown, maxDepth = MAX_JSON_DEPTH): void {
  // Each entry links to its parent, so a path is built only for the error.
  type Entry = { value: unknown; key: PropertyKey | null; parent: Entry | null; depth: number };
  const pathOf = (e: Entry) => {
    const keys: PropertyKey[] = [];
    for (let at: Entry | null = e; at && at.key !== null; at = at.parent) keys.unshift(at.key);
    return formatPath(keys);
  };
  const refuse = (e: Entry, what: string): never => {
    const path = pathOf(e);
    throw new AppError('validation_failed', `${path}: ${what}`, { path });
  };
  const stack: Entry[] = [{ value, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const v = entry.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) refuse(entry, 'must not contain a NUL character (\\u0000)');
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (entry.depth >= maxDepth) refuse(entry, `is nested deeper than ${maxDepth} levels`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i], key: i, parent: entry, depth: entry.depth + 1 });
      continue;
    }
    for (const [key, item] of Object.entries(v)) {
      if (key.includes('\u0000')) refuse(entry, 'a key must not contain a NUL character (\\u0000)');
      stack.push({ value: item, key, parent: entry, depth: entry.depth + 1 });
    }
  }
}
