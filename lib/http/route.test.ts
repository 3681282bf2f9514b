import { describe, expect, it } from 'vitest';
import { jsonWithText } from './route';

describe('jsonWithText', () => {
  it('sets JSON text into the answer as it is, beside the fields it serializes', async () => {
    const res = jsonWithText({ flow: { id: 'a', name: 'A "quoted" name' } }, { draft: '{"id": "a", "nodes": [1, 2]}' }, { status: 201 });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ flow: { id: 'a', name: 'A "quoted" name' }, draft: { id: 'a', nodes: [1, 2] } });
  });

  it('makes a valid object from no serialized fields, or no text ones', async () => {
    expect(await jsonWithText({}, { draft: '[]' }).json()).toEqual({ draft: [] });
    expect(await jsonWithText({ a: 1 }, {}).json()).toEqual({ a: 1 });
    expect(await jsonWithText({}, {}).json()).toEqual({});
  });
});
