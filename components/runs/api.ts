import { minorUnitDigits } from '../../lib/providers/money';

/** An API error as the routes send it. */
export interface ApiError {
  code?: string;
  message: string;
  path?: string;
}

/** Calls an Optline API route; a failure is `{ ok: false, error }` with the server's sentence. */
export async function call<T>(url: string, init?: RequestInit): Promise<{ ok: true; body: T } | { ok: false; status: number; error: ApiError }> {
  try {
    const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
    const body = (await res.json().catch(() => null)) as (T & { error?: ApiError }) | null;
    if (!res.ok) return { ok: false, status: res.status, error: body?.error ?? { message: `the server answered ${res.status}` } };
    return { ok: true, body: body as T };
  } catch {
    return { ok: false, status: 0, error: { message: 'the server could not be reached' } };
  }
}

/** An amount in minor units as money in the reader's locale: 4250 usd → $42.50. */
export function formatMoney(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).format(amountMinor / 10 ** digits);
  } catch {
    return `${(amountMinor / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

/** A run status as a badge class. */
export function statusBadge(status: string): string {
  return status === 'done' ? 'badge badge-ok' : status === 'active' ? 'badge badge-warn' : 'badge badge-error';
}
