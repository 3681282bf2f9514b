import { brandError, hasErrorBrand } from '@/lib/error-brand';

/**
 * Errors raised by provider adapters. Route handlers map them to HTTP:
 * `WebhookSignatureError` → 403 (nothing stored), `WebhookPayloadError` → 400,
 * `ProviderError` → retry or fail the effect according to its flags.
 */

/** A webhook whose signature is missing, malformed, stale or wrong. Nothing from it may be trusted or stored. */
export class WebhookSignatureError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${provider} webhook signature rejected: ${message}`, options);
    this.name = 'WebhookSignatureError';
    brandError(this, 'WebhookSignatureError');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasErrorBrand(value, 'WebhookSignatureError');
  }
}

/** A correctly signed webhook whose fields are not what the provider documents (a missing MessageSid, an unknown status). */
export class WebhookPayloadError extends Error {
  constructor(
    readonly provider: string,
    message: string,
  ) {
    super(`${provider} webhook payload invalid: ${message}`);
    this.name = 'WebhookPayloadError';
    brandError(this, 'WebhookPayloadError');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasErrorBrand(value, 'WebhookPayloadError');
  }
}

/** What went wrong, as far as the caller needs to decide what to do next. */
export type ProviderErrorKind =
  /** 429: the provider refused the call; nothing was done. */
  | 'rate_limited'
  /** 5xx: the provider failed; it may or may not have acted. */
  | 'unavailable'
  /** The request never got an answer (timeout, reset, refused). */
  | 'network'
  /** The recipient replied STOP at the carrier or provider level (Twilio 21610). */
  | 'recipient_opted_out'
  /** The recipient cannot receive this message (invalid or non-mobile number, blocked). */
  | 'invalid_recipient'
  /** Credentials or permissions are wrong: a configuration problem, not a per-message one. */
  | 'auth'
  /** Any other 4xx: the request itself is wrong and will fail the same way again. */
  | 'rejected';

/**
 * A provider call failed. `retryable` says whether the same call may succeed
 * later (429, 5xx, network); 4xx are permanent. `outcomeUnknown` says whether
 * the provider may have acted anyway (a 5xx or a timeout after the request
 * left): for a call without an idempotency key (a Twilio send) the caller must
 * reconcile before trying again, never resend blindly.
 */
export class ProviderError extends Error {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;
  /** HTTP status, when the provider answered. */
  readonly status?: number;
  /** The provider's own error code (Twilio `21610`, Stripe `idempotency_error`, …). */
  readonly providerCode?: string;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasErrorBrand(value, 'ProviderError');
  }

  constructor(init: {
    provider: string;
    kind: ProviderErrorKind;
    message: string;
    status?: number;
    providerCode?: string;
    outcomeUnknown?: boolean;
    cause?: unknown;
  }) {
    super(`${init.provider}: ${init.message}`, { cause: init.cause });
    this.name = 'ProviderError';
    brandError(this, 'ProviderError');
    this.provider = init.provider;
    this.kind = init.kind;
    this.retryable = isRetryableKind(init.kind);
    this.outcomeUnknown = init.outcomeUnknown ?? init.kind === 'unavailable';
    this.status = init.status;
    this.providerCode = init.providerCode;
  }
}

function isRetryableKind(kind: ProviderErrorKind): boolean {
  return kind === 'rate_limited' || kind === 'unavailable' || kind === 'network';
}

/** The error kind for an HTTP status: 429 and 5xx are transient, 401/403 are configuration, other 4xx are permanent. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  if (status === 401 || status === 403) return 'auth';
  return 'rejected';
}

/** Selecting providers failed: a credential is missing for a provider that is partly configured. */
export class ProviderConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`provider configuration invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProviderConfigError';
  }
}
