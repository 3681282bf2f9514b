import { brandError, hasErrorBrand } from '@/lib/error-brand';

/** A refusal the caller can act on (an API maps it to a 4xx). */
export class EngineError extends Error {
  constructor(
    readonly code: 'version-not-active' | 'not-found' | 'unsupported-node' | 'invalid-schedule',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
    brandError(this, 'EngineError');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasErrorBrand(value, 'EngineError');
  }
}
