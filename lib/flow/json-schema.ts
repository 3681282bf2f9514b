import { z } from 'zod';
import { flowSchema } from './schema';

/** The published JSON Schema of the flow document, generated from the zod schema (never edited by hand). */
export function flowJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(flowSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return {
    $schema: generated.$schema,
    $id: 'https://optline.dev/schema/flow-v1.json',
    title: 'Optline flow document, version 1',
    description:
      'A messaging flow: a trigger, nodes and edges. See docs/flow-format.md. Generated from lib/flow/schema.ts by `npm run schema`.',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  };
}

/** The JSON Schema as the committed file holds it: 2-space JSON and a final newline. */
export function flowJsonSchemaText(): string {
  return `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;
}
