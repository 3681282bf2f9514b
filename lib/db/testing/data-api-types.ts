import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { readViewColumns, renderDataApiTypes } from '@/lib/db/data-api-typegen';
import type { Queryable } from '@/lib/db/queryable';

/** Where the generated types are kept (committed; examples/data-api.ts imports them). */
export const DATA_API_TYPES_FILE = fileURLToPath(new URL('../data-api-types.ts', import.meta.url));

/** The types file for a migrated database, formatted as the repository's prettier config says (so `npm run lint` passes). */
export async function generateDataApiTypes(db: Queryable): Promise<string> {
  const text = renderDataApiTypes(await readViewColumns(db));
  const options = (await prettier.resolveConfig(DATA_API_TYPES_FILE)) ?? {};
  return prettier.format(text, { ...options, filepath: path.basename(DATA_API_TYPES_FILE) });
}
