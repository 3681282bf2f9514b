import { kindForStatus, ProviderError, type ProviderErrorKind } from '@/lib/providers/errors';

// Twilio error codes that say something about the recipient rather than the request
// (https://www.twilio.com/docs/api/errors).
const RECIPIENT_CODES: Record<number, ProviderErrorKind> = {
  21610: 'recipient_opted_out', // Attempt to send to unsubscribed recipient (replied STOP to this sender)
  21211: 'invalid_recipient', // Invalid 'To' phone number
  21614: 'invalid_recipient', // 'To' number is not a valid mobile number
  21612: 'invalid_recipient', // The 'To' number is not currently reachable via SMS
  21408: 'invalid_recipient', // Permission to send to this region is not enabled
};

// Connection errors that prove the request never reached Twilio: nothing was sent.
const NOT_SENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Any error thrown by the Twilio SDK as a ProviderError. */
export function toProviderError(error: unknown, doing: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = (error ?? {}) as { status?: unknown; code?: unknown; message?: unknown; moreInfo?: unknown };
  if (typeof e.status === 'number') {
    const code = typeof e.code === 'number' ? e.code : undefined;
    const kind = (code !== undefined ? RECIPIENT_CODES[code] : undefined) ?? kindForStatus(e.status);
    return new ProviderError({
      provider: 'twilio',
      kind,
      status: e.status,
      providerCode: code?.toString(),
      message: `${doing} failed (HTTP ${e.status}${code !== undefined ? `, error ${code}` : ''}): ${String(e.message ?? 'no message')}`,
      cause: error,
    });
  }
  const networkCode = typeof e.code === 'string' ? e.code : undefined;
  return new ProviderError({
    provider: 'twilio',
    kind: 'network',
    providerCode: networkCode,
    // A timeout or reset after the request left may still have created the message.
    outcomeUnknown: !(networkCode && NOT_SENT_NETWORK_CODES.has(networkCode)),
    message: `${doing} failed without an answer${networkCode ? ` (${networkCode})` : ''}: ${String(e.message ?? error)}`,
    cause: error,
  });
}
