import { describe, expect, it } from 'vitest';
import { kindForStatus, ProviderError } from './errors';

describe('ProviderError', () => {
  it('treats 429 and 5xx as retryable and every other 4xx as permanent', () => {
    const cases = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503].map((status) => {
      const e = new ProviderError({ provider: 'twilio', kind: kindForStatus(status), status, message: 'x' });
      return [status, e.kind, e.retryable, e.outcomeUnknown];
    });
    expect(cases).toEqual([
      [400, 'rejected', false, false],
      [401, 'auth', false, false],
      [403, 'auth', false, false],
      [404, 'rejected', false, false],
      [409, 'rejected', false, false],
      [422, 'rejected', false, false],
      [429, 'rate_limited', true, false],
      [500, 'unavailable', true, true],
      [502, 'unavailable', true, true],
      [503, 'unavailable', true, true],
    ]);
  });

  it('keeps recipient errors permanent and network errors retryable', () => {
    expect(
      new ProviderError({ provider: 'twilio', kind: 'recipient_opted_out', status: 400, providerCode: '21610', message: 'x' }),
    ).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(new ProviderError({ provider: 'twilio', kind: 'network', message: 'x', outcomeUnknown: true })).toMatchObject({
      retryable: true,
      outcomeUnknown: true,
    });
  });
});
