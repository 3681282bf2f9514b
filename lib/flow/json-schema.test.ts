import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flowJsonSchema, flowJsonSchemaText } from './json-schema';

describe('flow.schema.json', () => {
  it('is what `npm run schema` generates from the zod schema now (run it after changing lib/flow/schema.ts)', () => {
    const committed = readFileSync(new URL('../../flow.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(flowJsonSchemaText());
  });

  it('refuses unknown fields and lists every node type', () => {
    const schema = flowJsonSchema() as {
      additionalProperties: boolean;
      properties: { nodes: { items: { oneOf: { properties: { type: { const: string } } }[] } } };
    };
    expect(schema.additionalProperties).toBe(false);
    const types = schema.properties.nodes.items.oneOf.map((o) => o.properties.type.const);
    expect(types).toEqual([
      'trigger',
      'consent.request',
      'consent.check',
      'message.send',
      'message.ask',
      'split',
      'wait.delay',
      'wait.window',
      'verify.identity',
      'payment.request',
      'variable.set',
      'end',
    ]);
  });
});
