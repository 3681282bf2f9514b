import { authenticate } from '@/lib/auth/request-actor';
import { endpoints, endpointSpecOf, jsonResponse } from '@/lib/http/endpoint';
import { openApiDocument, type ApiOperation } from '@/lib/http/openapi';
import { z } from 'zod';
import pkg from '@/package.json';
import { ROUTE_MODULES } from './route-modules';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The operations of route modules: each exported method handler that the wrapper made, with its spec. */
export function operationsOf(modules: Readonly<Record<string, Readonly<Record<string, unknown>>>>): ApiOperation[] {
  const operations: ApiOperation[] = [];
  for (const [path, module] of Object.entries(modules)) {
    for (const method of METHODS) {
      if (!(method in module)) continue;
      const spec = endpointSpecOf(module[method]);
      if (!spec) throw new Error(`${method} ${path} is not made by the route wrapper (lib/http/endpoint.ts)`);
      operations.push({ method, path, spec });
    }
  }
  return operations;
}

const openApiBody = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ description: 'An OpenAPI 3.1 document.' });

/**
 * GET /api/openapi.json, public: API clients and code generators fetch it
 * without a session, and it holds no data, only the shape of the API, which
 * is the same on every Optline (and in its source). Each operation still
 * names what it needs.
 */
export const openApiHandler = endpoints({ authenticate })(
  {
    access: 'public',
    doc: {
      id: 'getOpenApiDocument',
      summary: 'This document',
      description:
        'The OpenAPI 3.1 document of the API, built from the schemas the routes validate with. The console renders it at /developers/api.',
      responses: { 200: jsonResponse('The OpenAPI document.', openApiBody) },
    },
  },
  async () =>
    new Response(JSON.stringify(apiDocument()), {
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' },
    }),
);

let built: Record<string, unknown> | undefined;

/** The OpenAPI document of every route (built once: it depends on the code only). */
export function apiDocument(): Record<string, unknown> {
  built ??= openApiDocument(
    [...operationsOf(ROUTE_MODULES), { method: 'GET', path: '/api/openapi.json', spec: endpointSpecOf(openApiHandler)! }],
    { version: pkg.version },
  );
  return built;
}
