import { spawn, type ChildProcess } from 'node:child_process';
import { TEST_APP_SECRET } from '@/lib/db/testing/fixtures';

/**
 * A real worker process (`scripts/worker.ts`) on the database at `url`, its
 * engine's clock starting at `clockStart` (OPTLINE_CLOCK_START), for the
 * tests and benchmarks that run the engine as production does: in processes
 * of its own, killed and restarted at will. `env` adds or overrides
 * settings (WORKER_CONCURRENCY, the heartbeat's timings…); `nodeArgs` go
 * before the script (a CPU profile, a preload).
 */
export function spawnWorkerProcess(
  url: string,
  options: { clockStart: string; env?: Record<string, string>; nodeArgs?: readonly string[] },
): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'scripts/worker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      APP_SECRET: TEST_APP_SECRET,
      NODE_ENV: 'test',
      OPTLINE_CLOCK_START: options.clockStart,
      ...options.env,
    },
    stdio: 'ignore',
  });
}

/** Polls `check` until it gives a value (not undefined or false), at most `limitMs`; throws past it. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, limitMs = 60_000, pollMs = 100): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** A flow of one informational text behind a consent check (`body` may name run variables): the engine's smallest real work. */
export function oneTextFlow(body = 'Acme Dental: your statement is ready.') {
  return {
    schemaVersion: 1,
    id: 'one-text',
    name: 'One text',
    policy: { brand: 'Acme Dental', quietHours: 'strictest' },
    nodes: [
      { id: 'start', type: 'trigger', data: { kind: 'api' } },
      { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
      { id: 'note', type: 'message.send', data: { purpose: 'informational', body } },
      { id: 'done', type: 'end' },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
      { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'note' },
      { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
      { id: 'e4', source: 'note', sourceHandle: 'sent', target: 'done' },
      { id: 'e5', source: 'note', sourceHandle: 'failed', target: 'done' },
    ],
  };
}
