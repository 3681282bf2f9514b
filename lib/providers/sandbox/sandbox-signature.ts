import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signatures older than this are refused (replays), as Stripe does. */
export const SANDBOX_SIGNATURE_TOLERANCE_S = 300;

/**
 * Signs a sandbox webhook: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload">`
 * with the local sandbox secret (the same scheme as Stripe's, so the sandbox
 * exercises the same path: verify first, then read).
 */
export function signSandboxPayload(secret: string, payload: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, payload)}`;
}

/** Whether `header` signs `payload` with `secret`, at most `SANDBOX_SIGNATURE_TOLERANCE_S` ago; compared in constant time. */
export function verifySandboxSignature(secret: string, payload: string, header: string | null, now: Date): boolean {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return false;
  const t = Number(match[1]);
  if (Math.abs(Math.floor(now.getTime() / 1000) - t) > SANDBOX_SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(hmac(secret, t, payload), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

/** The text a form webhook's signature covers: the URL, then each field sorted by name, URL-encoded. */
export function canonicalForm(url: string, params: Record<string, string>): string {
  const fields = Object.keys(params)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k] ?? '')}`);
  return [url, ...fields].join('\n');
}

function hmac(secret: string, t: number, payload: string): string {
  return createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex');
}
