import { describe, expect, it } from 'vitest';
import { resolveClientAddress, trustedProxyMatcher } from './client-address';

describe('resolveClientAddress', () => {
  const none = trustedProxyMatcher([]);
  const proxies = trustedProxyMatcher(['10.0.0.1', '192.168.0.0/16', 'fd00::/8']);

  it('ignores X-Forwarded-For from a connection that is no trusted proxy', () => {
    expect(resolveClientAddress({ remoteAddress: '203.0.113.9', forwardedFor: '198.51.100.1', isTrustedProxy: none })).toBe('203.0.113.9');
    expect(resolveClientAddress({ remoteAddress: '::ffff:203.0.113.9', forwardedFor: '198.51.100.1', isTrustedProxy: proxies })).toBe(
      '203.0.113.9',
    );
  });

  it('believes a trusted proxy, reading from the right past other trusted proxies to the first untrusted hop', () => {
    expect(resolveClientAddress({ remoteAddress: '10.0.0.1', forwardedFor: '198.51.100.1', isTrustedProxy: proxies })).toBe('198.51.100.1');
    // The leftmost entry is what the client wrote; only the proxies' own appends count.
    expect(
      resolveClientAddress({
        remoteAddress: '::ffff:10.0.0.1',
        forwardedFor: ['1.2.3.4, 198.51.100.1', '192.168.4.4'],
        isTrustedProxy: proxies,
      }),
    ).toBe('198.51.100.1');
    expect(resolveClientAddress({ remoteAddress: 'fd00::5', forwardedFor: '2001:db8::1', isTrustedProxy: proxies })).toBe('2001:db8::1');
  });

  it('stops at the proxy when it forwarded nothing usable', () => {
    expect(resolveClientAddress({ remoteAddress: '10.0.0.1', forwardedFor: undefined, isTrustedProxy: proxies })).toBe('10.0.0.1');
    expect(resolveClientAddress({ remoteAddress: '10.0.0.1', forwardedFor: 'unknown', isTrustedProxy: proxies })).toBe('10.0.0.1');
    expect(resolveClientAddress({ remoteAddress: undefined, forwardedFor: '1.2.3.4', isTrustedProxy: proxies })).toBeNull();
  });
});
