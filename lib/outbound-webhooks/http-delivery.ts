import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import { judgeAddress, urlProblem, type UrlPolicy } from '@/lib/outbound-events/address-policy';

/** Resolves a host name to its addresses (DNS by default; tests inject their own). */
export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The system resolver: every address of the name, as the OS gives them. */
export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** How a delivery request is bounded and where it may go. */
export interface DeliveryRequestOptions {
  policy: UrlPolicy;
  resolve?: Resolve;
  /** The whole request, from connecting to the response's status and the bytes read (default 10 s). */
  timeoutMs?: number;
  /** At most this much of the response body is read, then the connection is dropped (default 16 KB). */
  maxResponseBytes?: number;
}

/** What came of one try. */
export type DeliveryResult =
  | { ok: true; statusCode: number; latencyMs: number }
  | { ok: false; statusCode: number | null; latencyMs: number; error: string; refused?: boolean };

/** A delivery to an address the policy refuses: never connected. */
export class RefusedAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedAddressError';
  }
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024;

/**
 * POSTs a signed webhook, SSRF-safe: the URL is checked against the policy,
 * the host name resolved here at delivery time, every address it resolves
 * to judged (one refused address refuses the delivery), and the connection
 * made to a checked address through the request's own `lookup` (no second
 * resolution: a rebinding DNS answer cannot slip in between the check and
 * the connect). Redirects are not followed. A 2xx answer is a delivery.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: DeliveryRequestOptions,
  startedAt: () => number = () => performance.now(),
): Promise<DeliveryResult> {
  const t0 = startedAt();
  const latency = () => Math.max(0, startedAt() - t0);
  const problem = urlProblem(url, options.policy);
  if (problem) return { ok: false, statusCode: null, latencyMs: 0, error: `refused: the URL ${problem}`, refused: true };
  const target = new URL(url);
  const resolve = options.resolve ?? systemResolve;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  const lookup = (hostname: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    void checkedAddresses(hostname, resolve, options.policy.allowPrivate).then(
      (addresses) => (opts.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)),
      (err: unknown) => callback(err),
    );
  };

  return new Promise<DeliveryResult>((resolvePromise) => {
    let settled = false;
    const finish = (result: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolvePromise(result);
    };
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: lookup as unknown as http.RequestOptions['lookup'],
        agent: false,
      },
      (response) => {
        const statusCode = response.statusCode ?? 0;
        let read = 0;
        const done = () =>
          finish(
            statusCode >= 200 && statusCode < 300
              ? { ok: true, statusCode, latencyMs: latency() }
              : { ok: false, statusCode, latencyMs: latency(), error: `HTTP ${statusCode}` },
          );
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= maxBytes) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(
      () => finish({ ok: false, statusCode: null, latencyMs: latency(), error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    request.on('error', (err: Error) => {
      const refused = err instanceof RefusedAddressError;
      finish({
        ok: false,
        statusCode: null,
        latencyMs: latency(),
        error: refused ? `refused: ${err.message}` : `connection failed: ${err.message}`,
        ...(refused ? { refused: true } : {}),
      });
    });
    request.end(body);
  });
}

/** The name's addresses, each judged: all allowed, or a RefusedAddressError naming the first that is not. */
export async function checkedAddresses(hostname: string, resolve: Resolve, allowPrivate: boolean): Promise<LookupAddress[]> {
  const addresses = [...(await resolve(hostname))];
  if (addresses.length === 0) throw new RefusedAddressError(`${hostname} resolves to no address`);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const verdict = judgeAddress(address);
      if (!verdict.allowed) throw new RefusedAddressError(`${hostname} resolves to ${verdict.reason}`);
    }
  }
  return addresses;
}
