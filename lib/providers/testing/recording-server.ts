import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the local server received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  headers: http.IncomingHttpHeaders;
  /** The raw body text. */
  body: string;
  /** The body parsed as application/x-www-form-urlencoded (repeated keys become arrays). */
  form: Record<string, string | string[]>;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Responder = (req: RecordedRequest) => Reply;

export interface RecordingServer {
  /** http://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  requests: RecordedRequest[];
  /** Sets how the server answers from now on. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that stands in for a provider's API in tests: the
 * real SDK sends its real request here, the test asserts it and chooses the
 * answer. Nothing leaves the machine.
 */
export async function startRecordingServer(
  responder: Responder = () => ({ status: 404, body: { error: 'no responder' } }),
): Promise<RecordingServer> {
  let current = responder;
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: collect(url.searchParams),
        headers: req.headers,
        body,
        form: collect(new URLSearchParams(body)),
      };
      requests.push(recorded);
      let reply: Reply;
      try {
        reply = current(recorded);
      } catch (error) {
        reply = { status: 500, body: { error: String(error) } };
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    requests,
    respond(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function collect(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** The user and password of a Basic Authorization header. */
export function basicAuth(headers: http.IncomingHttpHeaders): { user: string; password: string } | undefined {
  const match = /^Basic (.+)$/.exec(headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
