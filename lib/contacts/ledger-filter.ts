import type { Purpose } from '@/lib/compliance/types';
import type { ConsentSource, LedgerFilter } from '@/lib/db/consent-repository';

/**
 * The consent ledger's filters from query parameters (`action`, `purpose`,
 * `source`, `from`, `to` as YYYY-MM-DD in UTC, `before` for paging), with a
 * sentence per parameter that is not understood. Pure.
 */

export const LEDGER_ACTIONS = ['grant', 'revoke'] as const;
export const LEDGER_PURPOSES = ['informational', 'marketing'] as const;
export const LEDGER_SOURCES = ['import', 'keyword', 'reply', 'web_form', 'api'] as const;

export interface LedgerQuery {
  action?: string;
  purpose?: string;
  source?: string;
  from?: string;
  to?: string;
  before?: string;
}

export function ledgerFilterOf(query: LedgerQuery, limit: number): { filter: LedgerFilter; problems: { path: string; message: string }[] } {
  const filter: LedgerFilter = { limit };
  const problems: { path: string; message: string }[] = [];
  const pick = <T extends string>(path: keyof LedgerQuery, allowed: readonly T[]): T | undefined => {
    const v = query[path];
    if (!v) return undefined;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    problems.push({ path, message: `"${v}" is not one of ${allowed.join(', ')}` });
    return undefined;
  };
  const action = pick('action', LEDGER_ACTIONS);
  if (action) filter.action = action;
  const purpose = pick<Purpose>('purpose', LEDGER_PURPOSES);
  if (purpose) filter.purpose = purpose;
  const source = pick<ConsentSource>('source', LEDGER_SOURCES);
  if (source) filter.source = source;
  const day = (path: 'from' | 'to'): Date | undefined => {
    const v = query[path];
    if (!v) return undefined;
    const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : undefined;
    if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
      problems.push({ path, message: `"${v}" is not a date like 2026-03-10` });
      return undefined;
    }
    return d;
  };
  const from = day('from');
  if (from) filter.from = from;
  const to = day('to');
  // `to` is the last day included.
  if (to) filter.to = new Date(to.getTime() + 24 * 3600 * 1000);
  if (query.before) {
    const n = Number(query.before);
    // An event id is a bigint; past 2^53 a number is no id we issued (and Postgres would refuse it).
    if (Number.isSafeInteger(n) && n > 0) filter.beforeId = n;
    else problems.push({ path: 'before', message: `"${query.before}" is not an event number` });
  }
  return { filter, problems };
}
