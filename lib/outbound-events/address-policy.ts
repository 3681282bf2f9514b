/**
 * Where an outbound webhook may go (SSRF): never to a loopback, link-local,
 * private, shared, multicast, documentation or otherwise reserved address,
 * IPv4 or IPv6 (IPv4-mapped, -compatible, NAT64 and 6to4 forms judged by the
 * IPv4 address inside), unless the development setting allows it. Pure:
 * the delivery resolves the name and asks this about every address.
 */

/** An IPv4 range as its first address and prefix length. */
const V4_BLOCKED: readonly [number[], number, string][] = [
  [[0, 0, 0, 0], 8, 'this network (0.0.0.0/8)'],
  [[10, 0, 0, 0], 8, 'private (10.0.0.0/8)'],
  [[100, 64, 0, 0], 10, 'shared address space (100.64.0.0/10)'],
  [[127, 0, 0, 0], 8, 'loopback (127.0.0.0/8)'],
  [[169, 254, 0, 0], 16, 'link-local (169.254.0.0/16)'],
  [[172, 16, 0, 0], 12, 'private (172.16.0.0/12)'],
  [[192, 0, 0, 0], 24, 'IETF protocol assignments (192.0.0.0/24)'],
  [[192, 0, 2, 0], 24, 'documentation (192.0.2.0/24)'],
  [[192, 88, 99, 0], 24, '6to4 relay anycast (192.88.99.0/24)'],
  [[192, 168, 0, 0], 16, 'private (192.168.0.0/16)'],
  [[198, 18, 0, 0], 15, 'benchmarking (198.18.0.0/15)'],
  [[198, 51, 100, 0], 24, 'documentation (198.51.100.0/24)'],
  [[203, 0, 113, 0], 24, 'documentation (203.0.113.0/24)'],
  [[224, 0, 0, 0], 4, 'multicast (224.0.0.0/4)'],
  [[240, 0, 0, 0], 4, 'reserved (240.0.0.0/4)'],
];

const V6_BLOCKED: readonly [number[], number, string][] = [
  [[0, 0, 0, 0, 0, 0, 0, 0], 128, 'unspecified (::)'],
  [[0, 0, 0, 0, 0, 0, 0, 1], 128, 'loopback (::1)'],
  [[0x100, 0, 0, 0, 0, 0, 0, 0], 64, 'discard (100::/64)'],
  [[0x2001, 0, 0, 0, 0, 0, 0, 0], 23, 'IETF protocol assignments (2001::/23)'],
  [[0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32, 'documentation (2001:db8::/32)'],
  [[0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, 'unique local (fc00::/7)'],
  [[0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, 'link-local (fe80::/10)'],
  [[0xfec0, 0, 0, 0, 0, 0, 0, 0], 10, 'site-local (fec0::/10)'],
  [[0xff00, 0, 0, 0, 0, 0, 0, 0], 8, 'multicast (ff00::/8)'],
];

/** An address's verdict: allowed, or refused with the range it falls in. */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

/** The four bytes of a dotted IPv4 address; null if it is not one. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** The eight 16-bit groups of an IPv6 address (a zone `%eth0` and a trailing dotted IPv4 allowed); null if it is not one. */
export function parseIPv6(text: string): number[] | null {
  const address = text
    .replace(/^\[|\]$/g, '')
    .split('%')[0]!
    .toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(address) || address.length > 45) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

function inRange(value: number[], base: number[], prefix: number, bitsPer: number): boolean {
  for (let i = 0, bits = prefix; bits > 0; i++, bits -= bitsPer) {
    const take = Math.min(bits, bitsPer);
    const mask = ((1 << bitsPer) - 1) & ~((1 << (bitsPer - take)) - 1);
    if ((value[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

function judgeV4(bytes: number[]): AddressVerdict {
  const hit = V4_BLOCKED.find(([base, prefix]) => inRange(bytes, base, prefix, 8));
  return hit ? { allowed: false, reason: `${bytes.join('.')} is ${hit[2]}` } : { allowed: true };
}

/** The IPv4 address an IPv6 address carries for IPv4 (mapped, compatible, NAT64, 6to4), if any. */
function embeddedV4(g: number[]): number[] | null {
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!); // ::ffff:a.b.c.d
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!); // ::ffff:0:a.b.c.d (SIIT)
  if (zeros(0, 6) && (g[6] !== 0 || g[7]! > 1)) return v4(g[6]!, g[7]!); // ::a.b.c.d (deprecated compatible)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!); // 64:ff9b::/96 NAT64
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!); // 6to4
  return null;
}

/** Whether a delivery may connect to this IP address (text as DNS returns it). An unparseable address is refused. */
export function judgeAddress(address: string): AddressVerdict {
  const v4 = parseIPv4(address);
  if (v4) return judgeV4(v4);
  const v6 = parseIPv6(address);
  if (!v6) return { allowed: false, reason: `${address} is not an IP address` };
  const inner = embeddedV4(v6);
  if (inner) {
    const verdict = judgeV4(inner);
    return verdict.allowed ? verdict : { allowed: false, reason: `${address} carries ${verdict.reason}` };
  }
  const hit = V6_BLOCKED.find(([base, prefix]) => inRange(v6, base, prefix, 16));
  return hit ? { allowed: false, reason: `${address} is ${hit[2]}` } : { allowed: true };
}

/** How the endpoint's URL is judged: https required in production, private targets only when the development setting allows them. */
export interface UrlPolicy {
  requireHttps: boolean;
  allowPrivate: boolean;
}

/**
 * Checks an endpoint URL before it is stored and again before each
 * delivery: http(s) only (https where required), no user or password, and
 * no host that is a refused address or a `localhost` name. A name is judged
 * again by its addresses at delivery time. Returns the problem, or null.
 */
export function urlProblem(text: string, policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL like https://example.com/webhooks';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL';
  if (policy.requireHttps && url.protocol !== 'https:') return 'must be an https:// URL (plain http is refused in production)';
  if (url.username || url.password) return 'must not carry a user name or password (the signature proves who sends)';
  if (policy.allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return `points at ${host}, a loopback name`;
  if (parseIPv4(host) || parseIPv6(host)) {
    const verdict = judgeAddress(host);
    if (!verdict.allowed) return `points at ${verdict.reason}`;
  }
  return null;
}
