/**
 * The servers of `npm run bench:runtime`'s webhook figure, each a plain Node
 * HTTP server in a process of its own on PORT:
 *
 *   tsx bench/webhook-server.ts empty     the baseline: reads each request's
 *     body and answers 200 with the empty TwiML Optline answers, nothing else
 *   tsx bench/webhook-server.ts listener  Optline's webhook path as server.ts
 *     runs it before Next.js sees the request (lib/http/webhook-listener.ts
 *     over the app's services, the client address stamped, the body limit);
 *     anything else answers 404. For a machine without a build: server.ts
 *     cannot start without one, and for the webhooks it runs this same code.
 *
 * The listener reads the environment as server.ts does (DATABASE_URL,
 * APP_SECRET, PUBLIC_URL, TWILIO_*). Both stop on SIGTERM.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { EMPTY_TWIML, TWIML_CONTENT_TYPE } from '@/lib/http/messaging-webhooks';
import { NOSNIFF } from '@/lib/http/security-headers';

const mode = process.argv[2];
const port = Number(process.env.PORT ?? 3241);

async function listener(): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const [{ services }, { webhookListener }, { env }, clientAddress, { BODY_LIMITS }] = await Promise.all([
    import('@/lib/runtime/services'),
    import('@/lib/http/webhook-listener'),
    import('@/lib/env'),
    import('@/lib/auth/client-address'),
    import('@/lib/http/endpoint'),
  ]);
  const config = env();
  const maxRequestBytes = Math.max(...Object.values(BODY_LIMITS));
  const isTrustedProxy = clientAddress.trustedProxyMatcher(config.trustedProxies);
  const webhooks = webhookListener(services);
  await services(); // the pool and the migrations, before the port opens (as server.ts opens the database first)
  return (req, res) => {
    if (Number(req.headers['content-length'] ?? 0) > maxRequestBytes) {
      res.writeHead(413, { connection: 'close' }).end();
      return;
    }
    clientAddress.stampClientAddress(req.headers, req.socket.remoteAddress, isTrustedProxy);
    if (!webhooks(req, res)) res.writeHead(404).end();
  };
}

function empty(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.once('end', () => {
    res.writeHead(200, { 'content-type': TWIML_CONTENT_TYPE, 'content-length': Buffer.byteLength(EMPTY_TWIML), ...NOSNIFF });
    res.end(EMPTY_TWIML);
  });
}

if (mode !== 'empty' && mode !== 'listener') {
  console.error('usage: tsx bench/webhook-server.ts empty|listener');
  process.exit(2);
}
const server = createServer(mode === 'empty' ? empty : await listener());
server.listen(port, '127.0.0.1', () => console.log(`${mode} server on http://127.0.0.1:${port}`));
process.once('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 200).unref();
});
