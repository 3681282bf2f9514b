/**
 * A process that starts an embedded server and is sent SIGTERM by
 * lib/db/embedded-server.test.ts.
 *   tsx lib/db/testing/signal-child.ts <dataDir> handles|default
 * `handles`: the process has its own SIGTERM handler (as server.ts does),
 * which still queries the server, then stops it and exits 0. `default`: no
 * handler of its own.
 */
import pg from 'pg';
import { startEmbeddedServer } from '@/lib/db/embedded-server';

const [dataDir, mode] = process.argv.slice(2);
const server = await startEmbeddedServer({ dataDir: dataDir! });
if (mode === 'handles') {
  process.on('SIGTERM', () => {
    void (async () => {
      await new Promise((r) => setTimeout(r, 300));
      const client = new pg.Client({ connectionString: server.url('postgres') });
      await client.connect();
      await client.query('select 1');
      await client.end();
      console.log('still answering');
      await server.stop();
      process.exit(0);
    })();
  });
}
console.log(`ready ${server.url('postgres')}`);
setInterval(() => undefined, 1000);
