import type { z } from 'zod';
import { formatPath } from '@/lib/flow/problem';
import { AppError, isAppError } from '@/lib/app-error';

/** Where an unexpected error is reported. */
export type Logger = (message: string, err: unknown) => void;

const defaultLogger: Logger = (message, err) => console.error(message, err);

/** A JSON response with no caching. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { ...init, headers });
}

/**
 * A JSON response (as `json`) whose `raw` fields are JSON text already
 * written (by the database, by a worker thread), set in as they are: a
 * 10,000-step draft is neither parsed nor serialized again on its way out.
 */
export function jsonWithText(body: Record<string, unknown>, raw: Record<string, string>, init: ResponseInit = {}): Response {
  const head = JSON.stringify(body);
  const fields = Object.entries(raw).map(([key, text]) => `${JSON.stringify(key)}:${text}`);
  const text = fields.length === 0 ? head : `${head.slice(0, -1)}${head === '{}' ? '' : ','}${fields.join(',')}}`;
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  headers.set('cache-control', 'no-store');
  return new Response(text, { ...init, headers });
}

/**
 * The response for a thrown value: an AppError becomes its status and JSON
 * body; anything else is logged with its cause and answered with a bare 500
 * (no stack, no message from inside leaks to the client).
 */
export function errorResponse(err: unknown, log: Logger = defaultLogger): Response {
  if (isAppError(err)) return json(err.toJSON(), { status: err.status });
  log('unexpected error in a route handler', err);
  return json(
    { error: { code: 'internal', message: 'Something went wrong on our side. Try again; if it keeps happening, tell us.' } },
    { status: 500 },
  );
}

/**
 * Validates a value; a failure is a `validation_failed` AppError naming the
 * first path (and where it is, e.g. "in the query string") and listing all.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const first = details[0]!;
  throw new AppError('validation_failed', `${first.path}${where ? ` (${where})` : ''}: ${first.message}`, { path: first.path, details });
}
