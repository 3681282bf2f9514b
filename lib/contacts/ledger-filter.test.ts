import { describe, expect, it } from 'vitest';
import { ledgerFilterOf } from './ledger-filter';

describe('ledgerFilterOf', () => {
  it('reads the filters a person chose', () => {
    const { filter, problems } = ledgerFilterOf({ action: 'revoke', from: '2026-03-01', to: '2026-03-02', before: '42' }, 100);
    expect(problems).toEqual([]);
    expect(filter).toMatchObject({
      action: 'revoke',
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
      beforeId: 42,
      limit: 100,
    });
  });

  it('names a page number no event can have (past 2^53 Postgres would be asked for a bigint it refuses)', () => {
    const { filter, problems } = ledgerFilterOf({ before: '99999999999999999999' }, 100);
    expect(filter.beforeId).toBeUndefined();
    expect(problems).toEqual([{ path: 'before', message: '"99999999999999999999" is not an event number' }]);
  });

  it('names dates that are not dates', () => {
    const { problems } = ledgerFilterOf({ from: 'x', to: '2026-02-30' }, 100);
    expect(problems.map((p) => p.path)).toEqual(['from', 'to']);
  });
});
