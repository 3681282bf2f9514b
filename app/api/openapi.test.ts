import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTE_PERMISSIONS } from '@/lib/auth/route-permissions';
import { endpoints, endpointSpecOf, jsonResponse } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { apiDocument, openApiHandler, operationsOf } from './openapi-document';
import { ROUTE_MODULES } from './route-modules';
import { checkResponse } from './testing/openapi-check';

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every `app/api/**\/route.ts` as its path (`/api/flows/[id]`). */
function routeFiles(dir = join(process.cwd(), 'app', 'api')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [`/${relative(join(process.cwd(), 'app'), dir).split(sep).join('/')}`] : [];
  });
}

/** The document's operations as `METHOD /api/path/[param]`, the form of ROUTE_PERMISSIONS. */
function documentedRoutes(doc: Json): string[] {
  return Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, '[$1]')}`),
  );
}

describe('the OpenAPI document', () => {
  const doc = apiDocument();

  it('passes an independent validator: Redocly lint, recommended rules (examples included), no errors and no warnings', async () => {
    // Optline is not published under a licence (package.json: private): the licence rule has nothing to find.
    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license': 'off' } });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`)).toEqual([]);
  });

  it('has every route of lib/auth/route-permissions.ts and no other, each with its permission', () => {
    expect(documentedRoutes(doc).sort()).toEqual(Object.keys(ROUTE_PERMISSIONS).sort());
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(methods)) {
        const route = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, '[$1]')}`;
        expect(op['x-permission'], route).toBe(ROUTE_PERMISSIONS[route]);
        expect(op.description, route).toContain('Access:');
      }
    }
  });

  it('is built from every route file (but better-auth’s own), each method made by the wrapper with the access the table gives it', () => {
    const files = routeFiles()
      .filter((p) => p !== '/api/auth/[...all]' && p !== '/api/openapi.json')
      .sort();
    expect(Object.keys(ROUTE_MODULES).sort()).toEqual(files);
    for (const op of operationsOf(ROUTE_MODULES))
      expect(op.spec.access, `${op.method} ${op.path}`).toBe(ROUTE_PERMISSIONS[`${op.method} ${op.path}`]);
  });

  it('gives each operation a unique id, a success answer with a schema or a type, and the error shape for failures', () => {
    const ids = new Set<string>();
    for (const methods of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
      for (const op of Object.values(methods)) {
        expect(ids.has(op.operationId as string), op.operationId as string).toBe(false);
        ids.add(op.operationId as string);
        const responses = op.responses as Record<string, Json>;
        expect(
          Object.keys(responses).some((s) => s.startsWith('2')),
          op.operationId as string,
        ).toBe(true);
        expect(responses.default).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
      }
    }
  });

  it('describes both ways to authenticate, and a permission-bound operation accepts either', () => {
    const components = doc.components as { securitySchemes: Record<string, Json> };
    expect(components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'optl_…' });
    expect(components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'optline.session_token' });
    const createFlow = (doc.paths as Record<string, Record<string, Json>>)['/api/flows']!.post!;
    expect(createFlow.security).toEqual([{ sessionCookie: [] }, { apiToken: [] }]);
    expect(createFlow['x-permission']).toBe('flows.edit');
    expect(createFlow.requestBody).toMatchObject({ content: { 'application/json': { example: { name: 'Spring promo', brand: 'Acme' } } } });
    expect((doc.paths as Record<string, Record<string, Json>>)['/api/setup']!.get!.security).toEqual([]);
  });

  it('is served at GET /api/openapi.json without a session', async () => {
    const res = await openApiHandler(new Request('http://localhost:3000/api/openapi.json'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(doc);
  });
});

describe('the check of handler answers against the document', () => {
  const rename = endpointSpecOf((ROUTE_MODULES['/api/flows/[id]'] as Record<string, unknown>).PATCH)!;

  it('refuses an answer whose body the document does not allow, naming the field', async () => {
    await expect(checkResponse(rename, json({ flow: { id: 'x', name: 3 } }))).rejects.toThrow(
      /PATCH \/api\/flows\/\{id\} \(renameFlow\) answered 200 with a body the document does not allow: .*\/flow/,
    );
  });

  it('refuses a status the document does not declare, and a media type it does not list', async () => {
    await expect(checkResponse(rename, json({}, { status: 202 }))).rejects.toThrow(/answered 202, which the document does not declare/);
    await expect(checkResponse(rename, new Response('x', { headers: { 'content-type': 'text/plain' } }))).rejects.toThrow(/as text\/plain/);
  });

  it('checks failures against the error shape', async () => {
    await expect(
      checkResponse(rename, json({ error: { code: 'not_found', message: 'no such flow' } }, { status: 404 })),
    ).resolves.toBeUndefined();
    await expect(checkResponse(rename, json({ error: { code: 'nope', message: 'x' } }, { status: 404 }))).rejects.toThrow(/\/error\/code/);
  });

  it('refuses an operation missing from the document, so a new route must be listed', async () => {
    const orphan = endpoints({ authenticate: async () => null })(
      { access: 'public', doc: { id: 'notListed', summary: 'x', responses: { 200: jsonResponse('x', z.object({})) } } },
      async () => json({}),
    );
    await expect(checkResponse(endpointSpecOf(orphan)!, json({}))).rejects.toThrow(/notListed is not in the OpenAPI document/);
  });
});
