import Stripe from 'stripe';
import { kindForStatus, ProviderError } from '@/lib/providers/errors';

/** Any error thrown by the Stripe SDK as a ProviderError. */
export function toProviderError(error: unknown, doing: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode;
    if (status === undefined || error instanceof Stripe.errors.StripeConnectionError) {
      return new ProviderError({
        provider: 'stripe',
        kind: 'network',
        message: `${doing} failed without an answer: ${error.message}`,
        cause: error,
      });
    }
    return new ProviderError({
      provider: 'stripe',
      kind: kindForStatus(status),
      status,
      providerCode: error.code ?? error.rawType,
      message: `${doing} failed (HTTP ${status}${error.code ? `, ${error.code}` : ''}): ${error.message}`,
      cause: error,
    });
  }
  return new ProviderError({ provider: 'stripe', kind: 'network', message: `${doing} failed: ${String(error)}`, cause: error });
}
