import { describe, expect, it } from 'vitest';
import { MAX_PACE_PER_SECOND } from '@/lib/campaigns/campaigns';
import { paceSlice, START_SLICES_PER_SECOND } from './campaign-enrolment';

describe('a campaign pace as start batches (paceSlice)', () => {
  it('starts exactly the pace a second, in batches no more often than START_SLICES_PER_SECOND a second', () => {
    for (let pace = 1; pace <= MAX_PACE_PER_SECOND; pace++) {
      const { runs, ms } = paceSlice(pace);
      expect(Number.isInteger(runs) && runs >= 1).toBe(true);
      expect((runs * 1000) / ms).toBeCloseTo(pace, 9);
      expect(ms).toBeGreaterThanOrEqual(1000 / START_SLICES_PER_SECOND);
      expect(ms).toBeLessThanOrEqual(1000);
    }
  });

  it('splits the default and the maximum pace as documented', () => {
    expect(paceSlice(1)).toEqual({ runs: 1, ms: 1000 });
    expect(paceSlice(1000)).toEqual({ runs: 250, ms: 250 });
    expect(paceSlice(5)).toEqual({ runs: 2, ms: 400 });
  });
});
