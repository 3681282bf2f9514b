import type { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * The header the app server (server.ts) sets on every request to the
 * client's address, overwriting whatever the client sent. better-auth keys
 * its rate limits and records session addresses on this header only.
 */
export const CLIENT_ADDRESS_HEADER = 'x-optline-client-address';

/** A matcher for TRUST_PROXY's addresses and CIDR ranges (lib/env.ts has checked each). */
export function trustedProxyMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(unmapped(address), family);
    else list.addSubnet(unmapped(address), Number(prefix), family);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client's address: the connection's own; when that is a trusted proxy,
 * X-Forwarded-For read from the right, skipping trusted proxies, to the first
 * hop that is not one (the hops left of it are the client's say-so). Null
 * when the connection has no address.
 */
export function resolveClientAddress(input: {
  remoteAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
  isTrustedProxy: (address: string) => boolean;
}): string | null {
  if (!input.remoteAddress) return null;
  let address = unmapped(input.remoteAddress);
  const hops = [input.forwardedFor ?? []]
    .flat()
    .join(',')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  while (input.isTrustedProxy(address)) {
    const hop = hops.pop();
    // A trusted proxy that named nobody, or named something that is no address: the proxy is the client we know.
    if (hop === undefined || isIP(unmapped(hop)) === 0) break;
    address = unmapped(hop);
  }
  return address;
}

/** Sets CLIENT_ADDRESS_HEADER on a request's headers from its connection (server.ts, for every request), replacing any the client sent. */
export function stampClientAddress(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  isTrustedProxy: (address: string) => boolean,
): void {
  const address = resolveClientAddress({ remoteAddress, forwardedFor: headers['x-forwarded-for'], isTrustedProxy });
  if (address) headers[CLIENT_ADDRESS_HEADER] = address;
  else delete headers[CLIENT_ADDRESS_HEADER];
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) as `192.0.2.1`. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}
