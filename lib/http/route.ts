import type { z } from 'zod';
import { formatPath } from '../flow/problem';
import { AppError, isAppError } from './app-error';

/** Largest request body a route reads (flows of thousands of nodes fit). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

type Logger = (message: string, err: unknown) => void;

const defaultLogger: Logger = (message, err) => console.error(message, err);

/** A JSON response with no caching. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { ...init, headers });
}

/**
 * Wraps a route handler: an AppError becomes its status and JSON body; anything
 * else is logged with its cause and answered with a bare 500 (no stack, no
 * message from inside leaks to the client).
 */
export function route<A extends unknown[]>(
  handler: (...args: A) => Promise<Response>,
  options: { log?: Logger } = {},
): (...args: A) => Promise<Response> {
  const log = options.log ?? defaultLogger;
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (err) {
      return errorResponse(err, log);
    }
  };
}

/** The response for a thrown value (see `route`). */
export function errorResponse(err: unknown, log: Logger = defaultLogger): Response {
  if (isAppError(err)) return json(err.toJSON(), { status: err.status });
  log('unexpected error in a route handler', err);
  return json({ error: { code: 'internal', message: 'Something went wrong on our side. Try again; if it keeps happening, tell us.' } }, { status: 500 });
}

/** Reads the request body as JSON text (bounded); a missing or malformed body is a 400. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new AppError('payload_too_large', `the request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError('payload_too_large', `the request body is over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  if (text.trim() === '') throw new AppError('invalid_json', 'the request has no body: send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_json', 'the request body is not valid JSON');
  }
}

/** Reads and validates a JSON body with a zod schema; every issue is listed with its path. */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  return parseWith(schema, await readJsonBody(request));
}

/** Validates a value; a failure is a `validation_failed` AppError naming the first path and listing all. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const first = details[0]!;
  throw new AppError('validation_failed', `${first.path}: ${first.message}`, { path: first.path, details });
}
