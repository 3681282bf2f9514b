import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '@/lib/app-error';
import { formatBytes } from '@/lib/bytes';
import type { Access, EndpointSpec, OperationDoc, ResponseSpec } from './endpoint';

/**
 * The OpenAPI 3.1 document of the REST API, built from what the routes
 * declare to the wrapper (lib/http/endpoint.ts): the zod schemas they
 * validate their body, query and path with, the schemas of their answers,
 * their access. Nothing is written twice: each schema becomes JSON Schema
 * 2020-12 (OpenAPI 3.1's dialect) through zod's own `z.toJSONSchema`.
 * Requests are described as they are sent (zod's input), answers as they
 * are given (its output).
 */

type Json = Record<string, unknown>;
type AnySpec = EndpointSpec<unknown, unknown, unknown, Access>;

/** One operation of the API: a method on a path as Next.js names it (`/api/flows/[id]`), and its wrapper spec. */
export interface ApiOperation {
  method: string;
  path: string;
  spec: AnySpec;
}

/** Where the error shape sits in the document. */
export const ERROR_SCHEMA_REF = '#/components/schemas/Error';

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The error shape every route answers a failure with (AppError.toJSON). */
export const errorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).meta({ description: 'What went wrong, in a word a client can branch on; each code has one HTTP status.' }),
      message: z.string().meta({ description: 'A sentence for a person, naming what is wrong and where.' }),
      path: z.string().optional().meta({ description: 'The JSON path (or query/path parameter) the error concerns.' }),
      details: z
        .array(z.object({ path: z.string().optional(), message: z.string() }))
        .optional()
        .meta({
          description: 'Every problem found, when there are several (validation).',
        }),
    }),
  })
  .meta({ examples: [{ error: { code: 'validation_failed', message: 'name: must not be empty', path: 'name' } }] });

/** An instant as every answer gives it. */
export const isoTime = z.string().meta({ description: 'An ISO 8601 instant (UTC).', examples: ['2026-12-07T10:00:00.000Z'] });

const SESSION_SCHEME = 'sessionCookie';
const TOKEN_SCHEME = 'apiToken';

/** The JSON Schema of a zod schema, without its `$schema` (the document's dialect is 2020-12 already). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
}

const errorContent = { 'application/json': { schema: { $ref: ERROR_SCHEMA_REF } } };

function responseObject(r: ResponseSpec): Json {
  switch (r.kind) {
    case 'json':
      return {
        description: r.description,
        content: {
          'application/json': { schema: jsonSchema(r.schema, 'output'), ...(r.example === undefined ? {} : { example: r.example }) },
        },
      };
    case 'file':
      return { description: r.description, content: { [r.contentType]: { schema: { type: 'string' } } } };
    case 'empty':
      return { description: r.description };
    case 'error':
      return { description: r.description, content: errorContent };
  }
}

/** The wrapper's own answers, which every handler may give before it runs (lib/http/endpoint.ts). */
function wrapperResponses(spec: AnySpec, hasPathParams: boolean): Record<string, Json> {
  const out: Record<string, Json> = {};
  const error = (description: string) => ({ description, content: errorContent });
  if (spec.body || spec.query || hasPathParams)
    out['400'] = error('The body, query string or a path parameter is malformed; `path` names the field.');
  if (spec.access !== 'public' && spec.access !== 'signature') {
    out['401'] = error('No session and no API token (or one that is revoked or expired).');
    out['403'] = error(
      spec.access === 'signed-in'
        ? 'A write from another origin.'
        : `The caller lacks the permission \`${spec.access}\` (or its token lacks the scope), or a write came from another origin.`,
    );
  } else if (spec.access === 'signature') {
    out['403'] = error("The provider's signature is missing or wrong (Twilio; Stripe's is a 400).");
  } else {
    out['403'] = error('A write from another origin.');
  }
  if (spec.body) {
    out['413'] = error(`The body is larger than ${formatBytes(spec.body.limit)}.`);
    if (spec.body.kind !== 'raw') out['415'] = error('The body has another media type than the one this operation reads.');
  }
  out['500'] = error('Something failed on our side; nothing from inside leaks.');
  return out;
}

function requestBody(spec: AnySpec, example: unknown): Json | undefined {
  const body = spec.body;
  if (!body) return undefined;
  const limit = `At most ${formatBytes(body.limit)}.`;
  switch (body.kind) {
    case 'json':
      return {
        required: true,
        description: limit,
        content: { 'application/json': { schema: jsonSchema(body.schema, 'input'), ...(example === undefined ? {} : { example }) } },
      };
    case 'text':
      return {
        required: true,
        description: limit,
        content: Object.fromEntries(body.types.map((t) => [t, { schema: { type: 'string' } }])),
      };
    case 'raw':
      return {
        required: true,
        description: `${limit} Read as sent: the provider's signature covers the exact bytes.`,
        content: { '*/*': { schema: { type: 'string' } } },
      };
    case 'form':
      return {
        required: true,
        description: limit,
        content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: { type: 'string' } } } },
      };
  }
}

/** The parameters of a query or path schema (a zod object), one per property. */
function parameters(where: 'query' | 'path', schema: z.ZodType | undefined): Json[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, Json>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      schema: rest,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}

function accessText(access: Access): string {
  switch (access) {
    case 'public':
      return 'Access: **public** (no sign-in).';
    case 'signature':
      return "Access: **the provider's signature** (no session or token; the handler verifies the signature header).";
    case 'signed-in':
      return 'Access: **anyone signed in** (any role), by session or API token.';
    default:
      return `Access: permission **\`${access}\`** (by session, or an API token whose owner has it and whose scopes include it).`;
  }
}

/** `/api/flows/[id]` as OpenAPI writes it: `/api/flows/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/\[([^\]]+)\]/g, '{$1}');
}

function operationObject(op: ApiOperation, doc: Exclude<OperationDoc, 'outside-the-api'>): Json {
  const { spec } = op;
  const pathParams = parameters('path', spec.params);
  const declaredPathParams = [...op.path.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
  for (const name of declaredPathParams) {
    if (!pathParams.some((p) => p.name === name)) pathParams.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  const body = requestBody(spec, doc.example);
  const query = spec.query ?? doc.query;
  const tag = op.path.split('/')[2] ?? 'api';
  return {
    operationId: doc.id,
    summary: doc.summary,
    description: [doc.description, accessText(spec.access)].filter(Boolean).join('\n\n'),
    tags: [tag],
    'x-permission': spec.access,
    security: spec.access === 'public' || spec.access === 'signature' ? [] : [{ [SESSION_SCHEME]: [] }, { [TOKEN_SCHEME]: [] }],
    ...(pathParams.length + (query ? 1 : 0) > 0 ? { parameters: [...pathParams, ...parameters('query', query)] } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: {
      ...wrapperResponses(spec, declaredPathParams.length > 0),
      ...Object.fromEntries(Object.entries(doc.responses).map(([status, r]) => [status, responseObject(r)])),
      default: { description: 'Any other failure, in the same error shape.', content: errorContent },
    },
  };
}

/** What the document says of the API as a whole. */
export interface DocumentInfo {
  version: string;
}

/** The OpenAPI 3.1 document of these operations (each `outside-the-api` one left out). */
export function openApiDocument(operations: readonly ApiOperation[], info: DocumentInfo): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const sorted = [...operations].sort((a, b) => a.path.localeCompare(b.path));
  for (const op of sorted) {
    if (op.spec.doc === 'outside-the-api') continue;
    const path = openApiPath(op.path);
    (paths[path] ??= {})[op.method.toLowerCase()] = operationObject(op, op.spec.doc);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Optline API',
      version: info.version,
      description: [
        'The REST API of Optline: flows, versions and reviews, contacts and consent, runs and events, settings, people and API tokens.',
        'Authenticate with the session cookie the console signs in with, or with an API token (`Authorization: Bearer optl_…`, made on your account page under API tokens), which acts for its owner within its scopes. Each operation names the permission it needs (`x-permission`).',
        'Every failure is JSON: `{ "error": { "code", "message", "path"?, "details"? } }`, where `code` maps to one HTTP status.',
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'This Optline' }],
    tags: [...new Set(sorted.filter((o) => o.spec.doc !== 'outside-the-api').map((o) => o.path.split('/')[2] ?? 'api'))].map((name) => ({
      name,
      description: `Operations under /api/${name}.`,
    })),
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBody, 'output') },
      securitySchemes: {
        [SESSION_SCHEME]: {
          type: 'apiKey',
          in: 'cookie',
          name: 'optline.session_token',
          description:
            'The session the console signs in with (`__Secure-optline.session_token` over https). A write with it must come from Optline’s own origin.',
        },
        [TOKEN_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'optl_…',
          description:
            'An API token from Settings → API tokens: `Authorization: Bearer optl_…`. It acts for its owner within its scopes; each use is audited.',
        },
      },
    },
  };
}
