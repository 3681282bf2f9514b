import { describe, expect, it } from 'vitest';
import { NODE_TYPES } from '@/lib/flow/node-types';
import { searchSteps } from './palette-search';

describe('searchSteps', () => {
  it('finds every step for an empty query, in the palette order', () => {
    expect(searchSteps(NODE_TYPES, '  ')).toEqual([...NODE_TYPES]);
  });

  it('finds the step that waits for a reply by the words a marketer uses', () => {
    expect(searchSteps(NODE_TYPES, 'wait reply')).toContain('message.ask');
    expect(searchSteps(NODE_TYPES, 'wait reply')).not.toContain('message.send');
    expect(searchSteps(NODE_TYPES, 'Answer')).toContain('message.ask');
  });

  it('matches synonyms and descriptions, case-insensitively', () => {
    expect(searchSteps(NODE_TYPES, 'DELAY')).toEqual(['wait.delay', 'wait.window']);
    expect(searchSteps(NODE_TYPES, 'invoice')).toEqual(['payment.request']);
    expect(searchSteps(NODE_TYPES, 'if')).toContain('split');
  });

  it('finds nothing for words no step has', () => {
    expect(searchSteps(NODE_TYPES, 'teleport')).toEqual([]);
  });
});
