import { minorUnitDigits } from '@/lib/flow/money';

export { callApi as call, type ApiError } from '@/components/ui/api';

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
