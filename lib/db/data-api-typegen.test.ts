import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderDataApiTypes } from './data-api-typegen';
import { DATA_API_TYPES_FILE, generateDataApiTypes } from './testing/data-api-types';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();

describe('the Data API types (lib/db/data-api-types.ts)', () => {
  it('match the views the migrations make (else run `npm run types:data-api` and commit the file)', async () => {
    expect(await readFile(DATA_API_TYPES_FILE, 'utf8')).toBe(await generateDataApiTypes(db().pool));
  });

  it('type every column of a view as nullable, arrays as arrays, and refuse a type it does not know', () => {
    const text = renderDataApiTypes([
      { view: 'v', column: 'n', type: 'int8' },
      { view: 'v', column: 'tags', type: '_text' },
    ]);
    expect(text).toContain('v: { Row: { n: number | null; tags: string[] | null; }; Relationships: []; };');
    expect(() => renderDataApiTypes([{ view: 'v', column: 'p', type: 'point' }])).toThrow('no TypeScript type for the Postgres type point');
  });
});
