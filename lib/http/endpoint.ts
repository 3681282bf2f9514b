import { z } from 'zod';
import { requirePermission, type Actor, type Authenticate, type Permission } from '@/lib/access/roles';
import { AppError } from '@/lib/app-error';
import { checkJsonShape, parseJsonText, readBoundedBytes, readBoundedText, requireMediaType } from './body';
import { requireSameOrigin, trustedOrigins } from './origin';
import { env } from '@/lib/env';
import { FLOW_LIMITS } from '@/lib/flows/flow-limits';
import { errorResponse, parseWith, type Logger } from './route';

/**
 * The one wrapper every API route sits on. In this order, before the
 * handler runs: the origin of a cookie-authenticated write (403), the
 * caller's permission (401/403), the body's media type (415), its size while
 * it streams (413), its shape (400: JSON depth, NUL characters), the query
 * string and path parameters against their schemas (400 naming the field);
 * then the handler, whose AppErrors become their status and anything else a
 * logged 500 that leaks nothing.
 */

/** Who may call: a permission, anyone signed in, anyone (`public`), or a provider proven by its signature (the handler checks it). */
export type Access = Permission | 'signed-in' | 'public' | 'signature';

const KB = 1024;
const MB = 1024 * KB;

/** The body limits, by kind of endpoint (documented in the README's Security section). */
export const BODY_LIMITS = {
  /** An ordinary JSON request: settings, a contact, a run's variables, an event. */
  json: 64 * KB,
  /** A flow document (saved, imported): FLOW_LIMITS, where 10,000 steps fit. */
  flow: FLOW_LIMITS.bytes,
  /** A contacts CSV file. */
  csv: 5 * MB,
  /** A provider's webhook (Twilio, Stripe). */
  webhook: 64 * KB,
  /** A form a person posts from one of our pages. */
  form: 8 * KB,
} as const;

/** How a route reads its body. */
export type BodySpec<T> =
  | { kind: 'json'; schema: z.ZodType<T>; limit: number }
  /** JSON the route reads itself (`read` takes the bounded bytes; `schema` is what it validates with, for the API reference). */
  | { kind: 'json'; schema: z.ZodType; limit: number; read: (bytes: Uint8Array) => Promise<T> }
  | { kind: 'text'; types: readonly string[]; limit: number }
  | { kind: 'raw'; limit: number }
  | { kind: 'form'; limit: number };

/** A JSON body validated by `schema` (`application/json` only: anything else is a 415). */
export function jsonBody<S extends z.ZodType>(schema: S, limit: number = BODY_LIMITS.json): BodySpec<z.infer<S>> {
  return { kind: 'json', schema, limit } as BodySpec<z.infer<S>>;
}

/** A text body in one of `types` (e.g. CSV). */
export function textBody(types: readonly string[], limit: number): BodySpec<string> {
  return { kind: 'text', types, limit };
}

/** The raw text of a body of any type, for a signature computed over it (webhooks). */
export function rawBody(limit: number = BODY_LIMITS.webhook): BodySpec<string> {
  return { kind: 'raw', limit };
}

/** An `application/x-www-form-urlencoded` body. */
export function formBody(limit: number = BODY_LIMITS.form): BodySpec<URLSearchParams> {
  return { kind: 'form', limit };
}

/** One answer an endpoint may give, as the OpenAPI document describes it (lib/http/openapi.ts). */
export type ResponseSpec =
  /** A JSON body that matches `schema` (its output). */
  | { kind: 'json'; description: string; schema: z.ZodType; example?: unknown }
  /** A body of another type (CSV, NDJSON, HTML, TwiML), not described further. */
  | { kind: 'file'; description: string; contentType: string }
  /** No body (204, a 303 redirect). */
  | { kind: 'empty'; description: string }
  /** The error shape `{ error: { code, message, path?, details? } }`, for a status the handler answers on purpose. */
  | { kind: 'error'; description: string };

/** A JSON response: `schema` describes its body; `example` shows one. */
export function jsonResponse(description: string, schema: z.ZodType, example?: unknown): ResponseSpec {
  return { kind: 'json', description, schema, ...(example === undefined ? {} : { example }) };
}

/** A response whose body is a file or a stream of `contentType`. */
export function fileResponse(description: string, contentType: string): ResponseSpec {
  return { kind: 'file', description, contentType };
}

/** A response without a body. */
export function emptyResponse(description: string): ResponseSpec {
  return { kind: 'empty', description };
}

/** An error the handler gives on purpose (a 404, a 409): the shared error shape, with when it happens. */
export function errorAnswer(description: string): ResponseSpec {
  return { kind: 'error', description };
}

/**
 * How the API reference names and describes an operation. Every endpoint
 * says what it answers, by status: the OpenAPI document is built from it and
 * the handler tests check every answer against the document
 * (lib/http/testing/openapi-check.ts). The wrapper's own answers (400, 401,
 * 403, 413, 415, 500) are added for it. Pages outside the API (the payment
 * pages, better-auth's endpoints) say `'outside-the-api'`.
 */
export type OperationDoc =
  | {
      /** The operationId: unique, camelCase (`listFlows`). */
      id: string;
      summary: string;
      description?: string;
      /** An example request body (JSON). */
      example?: unknown;
      /** The query parameters, where the handler reads them itself (a parameter that repeats): documented here, checked by the handler. */
      query?: z.ZodType;
      responses: Readonly<Record<number, ResponseSpec>>;
    }
  | 'outside-the-api';

/** What an endpoint asks for. */
export interface EndpointSpec<B, Q, P, A extends Access> {
  access: A;
  /** What the OpenAPI document says of it (required: a new route cannot go undocumented). */
  doc: OperationDoc;
  body?: BodySpec<B>;
  /** The query string, as an object of its parameters (the first value of each). */
  query?: z.ZodType<Q>;
  /** The path parameters (`[id]`). */
  params?: z.ZodType<P>;
}

/** What a handler is given: the caller (null where access is public or by signature), the parsed body, query and parameters. */
export interface EndpointCall<B, Q, P, A extends Access> {
  actor: A extends 'public' | 'signature' ? null : Actor;
  body: B;
  query: Q;
  params: P;
  request: Request;
}

/** A handler as Next.js calls it. */
export type RouteHandler = (request: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface EndpointDeps {
  authenticate: Authenticate;
  /** The origins a cookie-authenticated write may come from; by default PUBLIC_URL and its loopback twin. */
  origins?: () => readonly string[];
  log?: Logger;
}

/** Checks an answer against the OpenAPI document; tests install one (lib/http/testing/openapi-check.ts), production none. */
export type ResponseCheck = (spec: EndpointSpec<unknown, unknown, unknown, Access>, response: Response) => Promise<void>;

let responseCheck: ResponseCheck | null = null;

/** Has every answer of every endpoint checked (vitest's set-up installs the OpenAPI check); `null` stops checking. */
export function checkResponsesWith(check: ResponseCheck | null): void {
  responseCheck = check;
}

const specs = new WeakMap<RouteHandler, EndpointSpec<unknown, unknown, unknown, Access>>();

/** The spec a handler was made from by the wrapper (the OpenAPI document reads each route's), or undefined for anything else. */
export function endpointSpecOf(handler: unknown): EndpointSpec<unknown, unknown, unknown, Access> | undefined {
  return typeof handler === 'function' ? specs.get(handler as RouteHandler) : undefined;
}

/** The wrapper bound to how this process finds the caller and its origins: `const endpoint = endpoints(deps)`. */
export function endpoints(deps: EndpointDeps) {
  const origins = deps.origins ?? (() => trustedOrigins(env().publicUrl));
  return function endpoint<A extends Access, B = undefined, Q = Record<string, string>, P = Record<string, string>>(
    spec: EndpointSpec<B, Q, P, A>,
    handler: (call: EndpointCall<B, Q, P, A>) => Promise<Response>,
  ): RouteHandler {
    const run: RouteHandler = async (request, ctx) => {
      try {
        if (spec.access !== 'signature') requireSameOrigin(request, origins());
        const actor = await actorFor(spec.access, deps.authenticate, request);
        const body = spec.body ? await readBody(request, spec.body) : (undefined as B);
        const url = new URL(request.url);
        const query = parseParameters('query', spec.query, Object.fromEntries(url.searchParams)) as Q;
        // Next.js passes a context to every route; its params are undefined where the path has no [segment].
        const params = parseParameters('params', spec.params, (ctx ? await ctx.params : undefined) ?? {}) as P;
        return await handler({ actor: actor as EndpointCall<B, Q, P, A>['actor'], body, query, params, request });
      } catch (err) {
        await request.body?.cancel().catch(() => undefined);
        return errorResponse(err, deps.log);
      }
    };
    const routeHandler: RouteHandler = async (request, ctx) => {
      const response = await run(request, ctx);
      // Outside the try: a response that breaks the document fails the test that received it.
      if (responseCheck) await responseCheck(spec as EndpointSpec<unknown, unknown, unknown, Access>, response.clone());
      return response;
    };
    specs.set(routeHandler, spec as EndpointSpec<unknown, unknown, unknown, Access>);
    return routeHandler;
  };
}

async function actorFor(access: Access, authenticate: Authenticate, request: Request): Promise<Actor | null> {
  if (access === 'public' || access === 'signature') return null;
  const actor = await authenticate(request);
  if (access === 'signed-in') {
    if (!actor) throw new AppError('unauthenticated', 'sign in first (or send an API token as "Authorization: Bearer …")');
    return actor;
  }
  return requirePermission(actor, access);
}

async function readBody<B>(request: Request, spec: BodySpec<B>): Promise<B> {
  switch (spec.kind) {
    case 'json': {
      requireMediaType(request, ['application/json', '+json']);
      if ('read' in spec) return spec.read(await readBoundedBytes(request, spec.limit));
      return parseWith(spec.schema, parseJsonText(await readBoundedText(request, spec.limit)));
    }
    case 'text':
      requireMediaType(request, spec.types);
      return (await readBoundedText(request, spec.limit)) as B;
    case 'raw':
      return Buffer.from(await readBoundedBytes(request, spec.limit)).toString('utf8') as B;
    case 'form': {
      requireMediaType(request, ['application/x-www-form-urlencoded']);
      const form = new URLSearchParams(await readBoundedText(request, spec.limit));
      for (const [key, value] of form) checkJsonShape({ [key]: value });
      return form as B;
    }
    default: {
      const never: never = spec;
      throw new Error(`unknown body kind ${JSON.stringify(never)}`);
    }
  }
}

/** The query string's or path's parameters, NUL-free and checked by the schema (400 naming the parameter). */
function parseParameters<T>(
  where: 'query' | 'params',
  schema: z.ZodType<T> | undefined,
  values: Record<string, string>,
): T | Record<string, string> {
  for (const [key, value] of Object.entries(values)) {
    if (value.includes('\u0000') || key.includes('\u0000')) {
      throw new AppError('validation_failed', `${key.split('\u0000').join('\\u0000')}: must not contain a NUL character (\\u0000)`, {
        path: key,
      });
    }
  }
  if (!schema) return values;
  return parseWith(schema, values, where === 'query' ? 'in the query string' : 'in the path');
}

/** The `[id]` of a route's path (an id longer than any we issue is refused, not looked up). */
export const idParams = z.object({ id: z.string().max(100, { error: 'is not an id we issued' }) });
/** The `[versionId]` of a route's path. */
export const versionIdParams = z.object({ versionId: z.string().max(100, { error: 'is not an id we issued' }) });
