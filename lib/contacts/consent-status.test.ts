import { describe, expect, it } from 'vitest';
import { consentLevelOf } from '@/lib/compliance/types';
import { consentByPurpose } from './consent-status';

type E = { action: 'grant' | 'revoke'; purpose: 'informational' | 'marketing' | 'all' };
const status = (events: E[]) => consentByPurpose(consentLevelOf(events), events);

describe('consentByPurpose', () => {
  it('shows nothing given, an informational grant, and a marketing grant that covers informational', () => {
    expect(status([])).toEqual({ informational: 'none', marketing: 'none' });
    expect(status([{ action: 'grant', purpose: 'informational' }])).toEqual({ informational: 'granted', marketing: 'none' });
    expect(status([{ action: 'grant', purpose: 'marketing' }])).toEqual({ informational: 'granted', marketing: 'granted' });
  });

  it('shows a STOP as revoked for both, and a later informational grant restores only informational', () => {
    const stop: E = { action: 'revoke', purpose: 'all' };
    expect(status([{ action: 'grant', purpose: 'marketing' }, stop])).toEqual({ informational: 'revoked', marketing: 'revoked' });
    expect(status([{ action: 'grant', purpose: 'marketing' }, stop, { action: 'grant', purpose: 'informational' }])).toEqual({
      informational: 'granted',
      marketing: 'revoked',
    });
  });
});
