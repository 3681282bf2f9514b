import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './content-hash';

describe('contentHash', () => {
  it('ignores key order at every level', () => {
    const a = { id: 'x', nodes: [{ id: 'n1', data: { b: 1, a: 2 } }], name: 'N' };
    const b = { name: 'N', nodes: [{ data: { a: 2, b: 1 }, id: 'n1' }], id: 'x' };
    expect(contentHash(a)).toBe(contentHash(b));
    expect(canonicalJson(b)).toBe('{"id":"x","name":"N","nodes":[{"data":{"a":2,"b":1},"id":"n1"}]}');
  });

  it('changes with any value, and keeps array order', () => {
    expect(contentHash({ a: [1, 2] })).not.toBe(contentHash({ a: [2, 1] }));
    expect(contentHash({ a: 'x' })).not.toBe(contentHash({ a: 'y' }));
  });

  it('drops undefined properties as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });
});
