import type pg from 'pg';
import { database } from '@/lib/db/database';
import { receiveStatusWebhook } from '@/lib/http/messaging-webhooks';
import { processOnce } from '@/lib/process-once';
import { env as processEnv, type Env } from '@/lib/env';
import { providerEnvOf, selectProviders, type SelectedProviders } from '@/lib/providers/config';
import { DatabaseSandboxOutbox } from './database-outbox';
import { FlowEngine } from './engine';

/** What the HTTP routes and workers share: the database, the environment, the providers and the engine over them. */
export interface Services {
  pool: pg.Pool;
  env: Env;
  providers: SelectedProviders;
  engine: FlowEngine;
  /** The engine's clock: what routes decide by time (is a payment link still valid) reads it too. */
  clock: () => Date;
}

/** Services over a pool (tests pass their own database and clock). */
export function createServices(pool: pg.Pool, env: Env, clock: () => Date = () => new Date()): Services {
  // The sandbox reports delivery statuses through the status webhook's own work, as Twilio's callbacks arrive.
  const providers = selectProviders(providerEnvOf(env), {
    sandboxOutbox: new DatabaseSandboxOutbox(pool),
    clock,
    sandboxStatus: (webhook) => receiveStatusWebhook(self, { url: webhook.url, params: webhook.params, signature: webhook.signature }),
  });
  const engine = new FlowEngine({
    pool,
    messaging: providers.messaging,
    payments: providers.payments,
    publicUrl: env.publicUrl,
    appSecret: env.appSecret,
    clock,
  });
  const self: Services = { pool, env, providers, engine, clock };
  return self;
}

/** The process's services, on `database()` (DATABASE_URL or the embedded server), created once. */
export function services(): Promise<Services> {
  return processOnce('services', async () => createServices((await database()).pool, processEnv()));
}
