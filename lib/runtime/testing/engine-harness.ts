import { Logger, runOnce } from 'graphile-worker';
import type pg from 'pg';
import { consentRepository } from '@/lib/db/consent-repository';
import { advanceJobs } from '@/lib/db/job-queue';
import { approvedActiveVersion, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import type { MessagingProvider } from '@/lib/providers/messaging';
import { InMemorySandboxOutbox } from '@/lib/providers/sandbox/sandbox-outbox';
import { SandboxMessagingProvider } from '@/lib/providers/sandbox/sandbox-messaging-provider';
import { SandboxPaymentProvider } from '@/lib/providers/sandbox/sandbox-payment-provider';
import { FlowEngine } from '@/lib/runtime/engine';

export const quietLogger = new Logger(() => () => {});
export const PUBLIC_URL = 'http://localhost:3000';

/**
 * The engine against real Postgres and real graphile-worker jobs, with the
 * sandbox providers and a clock the test sets: `at(iso)` puts the engine's
 * clock at that instant (it then runs on with real time, so jobs scheduled
 * "later" really are in the future for the queue). `messaging`: another
 * provider than the sandbox's (`texts` then lists nothing).
 */
export function engineHarness(pool: pg.Pool, options: { messaging?: MessagingProvider } = {}) {
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const outbox = new InMemorySandboxOutbox();
  const messaging = options.messaging ?? new SandboxMessagingProvider({ outbox, secret: 'sandbox-secret', publicUrl: PUBLIC_URL, clock });
  const payments = new SandboxPaymentProvider({ secret: 'sandbox-secret', publicUrl: PUBLIC_URL, clock });
  const engine = new FlowEngine({ pool, messaging, payments, publicUrl: PUBLIC_URL, appSecret: TEST_APP_SECRET, clock });
  const work = () => runOnce({ pgPool: pool, taskList: engine.taskList(), concurrency: 1, noHandleSignals: true, logger: quietLogger });
  return {
    pool,
    engine,
    outbox,
    messaging,
    payments,
    work,
    clock,
    at(iso: string) {
      offset = Date.parse(iso) - Date.now();
    },
    /** Lets `ms` pass: the engine's clock and every waiting job move together. */
    async pass(ms: number) {
      offset += ms;
      await advanceJobs(pool, ms);
    },
    texts: (to: string) => outbox.list(to).map((m) => m.body),
  };
}

/** Makes a flow document the approved, active version of a new flow (lib/db/testing/fixtures.ts); returns the version id. */
export async function activeVersion(pool: pg.Pool, doc: unknown, flowId: string): Promise<string> {
  return (await approvedActiveVersion(pool, doc, flowId)).id;
}

/** Records consent given on paper. */
export async function grant(pool: pg.Pool, contactId: string, purpose: 'informational' | 'marketing', at: string): Promise<void> {
  await grantAll(pool, [contactId], purpose, at);
}

/** Records consent given on paper for many contacts, in one statement. */
export async function grantAll(
  pool: pg.Pool,
  contactIds: readonly string[],
  purpose: 'informational' | 'marketing',
  at: string,
  recordedBy = 'test',
): Promise<void> {
  await consentRepository(pool).appendConsentEvents(
    contactIds.map((contactId) => ({
      contactId,
      action: 'grant' as const,
      purpose,
      source: 'import' as const,
      channel: 'paper' as const,
      textShown: 'Signed consent form',
      recordedBy,
      occurredAt: new Date(at),
    })),
  );
}
