import type pg from 'pg';
import { database } from '@/lib/db/database';
import { processOnce } from '@/lib/process-once';
import { env as processEnv, type Env } from '@/lib/env';
import { providerEnvOf, selectProviders, type SelectedProviders } from '@/lib/providers/config';
import { DatabaseSandboxOutbox } from './database-outbox';
import { FlowEngine, type EngineOptions } from './engine';
import { processClock } from './sandbox-clock';

/** What the HTTP routes and workers share: the database, the environment, the providers and the engine over them. */
export interface Services {
  pool: pg.Pool;
  env: Env;
  providers: SelectedProviders;
  engine: FlowEngine;
  /** The engine's clock: what routes decide by time (is a payment link still valid) reads it too. */
  clock: () => Date;
}

/** Services over a pool (tests pass their own database and clock; `tuning`, the engine's batch sizes). */
export function createServices(
  pool: pg.Pool,
  env: Env,
  clock: () => Date = () => new Date(),
  tuning: Pick<EngineOptions, 'enrolBatch'> = {},
): Services {
  // The sandbox reports delivery statuses as Twilio's callbacks arrive: signed, checked and parsed by the provider, recorded by the engine.
  const providers = selectProviders(providerEnvOf(env), {
    sandboxOutbox: new DatabaseSandboxOutbox(pool),
    clock,
    sandboxStatus: async (webhook) => {
      if (!providers.messaging.verifyWebhook(webhook)) throw new Error('a sandbox status report failed its own signature check');
      await engine.receiveStatus(providers.messaging.parseStatus(webhook.params, webhook.url));
    },
  });
  const engine = new FlowEngine({
    pool,
    messaging: providers.messaging,
    payments: providers.payments,
    publicUrl: env.publicUrl,
    appSecret: env.appSecret,
    clock,
    outboundWebhooks: { policy: env.outboundWebhooks },
    ...tuning,
  });
  return { pool, env, providers, engine, clock };
}

/** The process's services, on `database()` (DATABASE_URL or the embedded server), created once, on the process's clock (the sandbox clock when it is on). */
export function services(): Promise<Services> {
  return processOnce('services', async () => createServices((await database()).pool, processEnv(), processClock(processEnv())));
}
