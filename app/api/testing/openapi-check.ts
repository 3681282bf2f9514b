import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Access, EndpointSpec } from '@/lib/http/endpoint';
import { ERROR_SCHEMA_REF } from '@/lib/http/openapi';
import { apiDocument } from '@/app/api/openapi-document';

type Json = Record<string, unknown>;
interface Operation {
  where: string;
  responses: Record<string, Json>;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

let operations: Map<string, Operation> | undefined;
const validators = new Map<string, ValidateFunction>();

/** The document's operations by operationId. */
function operationIndex(): Map<string, Operation> {
  if (operations) return operations;
  operations = new Map();
  const paths = apiDocument().paths as Record<string, Record<string, Json>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      operations.set(op.operationId as string, {
        where: `${method.toUpperCase()} ${path}`,
        responses: op.responses as Record<string, Json>,
      });
    }
  }
  return operations;
}

/** A schema with the document's `$ref`s (only the error shape) put in place, so ajv compiles it alone. */
function inline(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(inline);
  if (schema === null || typeof schema !== 'object') return schema;
  const object = schema as Json;
  if (object.$ref === ERROR_SCHEMA_REF) return (apiDocument().components as { schemas: { Error: unknown } }).schemas.Error;
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, inline(v)]));
}

/**
 * Checks one answer of a handler against the OpenAPI document: the
 * operation is in it, the status is declared (a 4xx or 5xx may fall to
 * `default`), the media type is one it lists, and a JSON body matches the
 * schema (ajv, JSON Schema 2020-12). Throws, naming the operation, the
 * status and every mismatch; vitest's set-up (app/api/testing/vitest-setup.ts)
 * runs it on every answer of every wrapped handler in the tests.
 */
export async function checkResponse(spec: EndpointSpec<unknown, unknown, unknown, Access>, response: Response): Promise<void> {
  if (spec.doc === 'outside-the-api') return;
  const id = spec.doc.id;
  const op = operationIndex().get(id);
  if (!op) throw new Error(`operation ${id} is not in the OpenAPI document: list its route module in app/api/route-modules.ts`);
  const status = String(response.status);
  const declared = op.responses[status] ?? (response.status >= 400 ? op.responses.default : undefined);
  if (!declared)
    throw new Error(`${op.where} (${id}) answered ${status}, which the document does not declare: add it to the route's doc.responses`);
  const content = declared.content as Record<string, { schema?: unknown }> | undefined;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (!content) {
    const text = await response.text();
    if (text !== '') throw new Error(`${op.where} (${id}) answered ${status} with a body, which the document says has none`);
    return;
  }
  if (!(type in content) && !('*/*' in content))
    throw new Error(
      `${op.where} (${id}) answered ${status} as ${type || 'no type'}; the document lists ${Object.keys(content).join(', ')}`,
    );
  if (type !== 'application/json') return;
  const key = `${id} ${status in op.responses ? status : 'default'}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(inline(content[type]!.schema ?? {}) as Json);
    validators.set(key, validate);
  }
  const body: unknown = JSON.parse(await response.text());
  if (!validate(body)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    throw new Error(
      `${op.where} (${id}) answered ${status} with a body the document does not allow: ${problems}\n${JSON.stringify(body).slice(0, 500)}`,
    );
  }
}
