import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '@/workflows/index';
import { flowDraftSchema, flowSchema } from './schema';

const blank = { schemaVersion: 1, id: 'drafty', name: 'Drafty', policy: { brand: 'Acme' }, nodes: [], edges: [] };

describe('the draft mode of the flow schema', () => {
  it('saves a draft mid-edit that the full schema refuses: empty message, blank brand and label, a dangling edge', () => {
    const draft = {
      ...blank,
      policy: { brand: '' },
      nodes: [{ id: 'send 1', type: 'message.send', label: '', position: { x: 0, y: 0 }, data: { purpose: 'informational', body: '' } }],
      edges: [{ id: 'e1', source: 'send 1', sourceHandle: '', target: '' }],
    };
    expect(flowDraftSchema.safeParse(draft).success).toBe(true);
    expect(flowSchema.safeParse(draft).success).toBe(false);
  });

  it('accepts every template as a draft', () => {
    for (const t of TEMPLATES) expect(flowDraftSchema.safeParse(t).success).toBe(true);
  });

  it('refuses what is not a flow yet: an unknown field, an unknown node type, a nameless flow, schema version 2', () => {
    expect(flowDraftSchema.safeParse({ ...blank, colour: 'red' }).success).toBe(false);
    expect(flowDraftSchema.safeParse({ ...blank, nodes: [{ id: 'a', type: 'payment' }] }).success).toBe(false);
    expect(flowDraftSchema.safeParse({ ...blank, name: '  ' }).success).toBe(false);
    expect(flowDraftSchema.safeParse({ ...blank, schemaVersion: 2 }).success).toBe(false);
  });

  it('refuses a draft of more than 20,000 steps', () => {
    const nodes = Array.from({ length: 20_001 }, (_, i) => ({ id: `n${i}`, type: 'end' }));
    expect(flowDraftSchema.safeParse({ ...blank, nodes }).error?.issues[0]?.message).toBe('a flow has at most 20,000 steps');
  });
});
