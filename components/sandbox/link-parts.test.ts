import { describe, expect, it } from 'vitest';
import { linkParts } from './link-parts';

describe('linkParts', () => {
  it('makes each link a part of its own, leaving the sentence punctuation out of it', () => {
    expect(linkParts('Pay $42.50 at http://localhost:3000/pay/AbC_-9 (3 days). Receipt: https://x.test/r/1.')).toEqual([
      { kind: 'text', text: 'Pay $42.50 at ' },
      { kind: 'link', href: 'http://localhost:3000/pay/AbC_-9' },
      { kind: 'text', text: ' (3 days). Receipt: ' },
      { kind: 'link', href: 'https://x.test/r/1' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('leaves a text without links, and a masked link, as text', () => {
    expect(linkParts('Reply STOP to stop.')).toEqual([{ kind: 'text', text: 'Reply STOP to stop.' }]);
    expect(linkParts('Pay at http://localhost:3000/pay/… now')).toEqual([{ kind: 'text', text: 'Pay at http://localhost:3000/pay/… now' }]);
    expect(linkParts('')).toEqual([]);
  });
});
