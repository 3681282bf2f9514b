import { brandError, hasErrorBrand } from '@/lib/error-brand';

/** What went wrong, in a word a client can branch on; each code has one HTTP status (ERROR_STATUS). */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'unauthenticated'
  | 'too_many_requests'
  | 'invalid_flow'
  | 'forbidden'
  | 'not_found'
  | 'unprocessable'
  | 'gone'
  | 'provider_unavailable'
  | 'conflict'
  | 'has_versions'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

/** The one table from error code to HTTP status (STYLE.md, "One error type, one HTTP mapping"). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthenticated: 401,
  too_many_requests: 429,
  invalid_flow: 422,
  forbidden: 403,
  not_found: 404,
  unprocessable: 422,
  gone: 410,
  provider_unavailable: 503,
  conflict: 409,
  has_versions: 409,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

/** One problem found in a request, with the JSON path it concerns. */
export interface ErrorDetail {
  path?: string;
  message: string;
}

/** A failure the client can act on: a code, a sentence, and where in the request (a JSON path), if anywhere. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { path?: string; details?: ErrorDetail[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    brandError(this, 'AppError');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasErrorBrand(value, 'AppError');
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The JSON body a route returns: `{ error: { code, message, path?, details? } }`. */
  toJSON(): { error: { code: ErrorCode; message: string; path?: string; details?: ErrorDetail[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.options.path !== undefined ? { path: this.options.path } : {}),
        ...(this.options.details !== undefined ? { details: this.options.details } : {}),
      },
    };
  }
}

/** Whether a value is an AppError (also across module copies in a bundle). */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
