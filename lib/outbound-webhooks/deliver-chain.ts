import type pg from 'pg';
import { Webhook } from 'standardwebhooks';
import type { FieldCipher } from '@/lib/crypto/field-cipher';
import { recordAudit } from '@/lib/db/audit-repository';
import { withTransaction } from '@/lib/db/queryable';
import { scheduleChain, webhookDeliveryRepository, type ClaimedDelivery } from '@/lib/db/webhook-delivery-repository';
import { webhookEndpointRepository } from '@/lib/db/webhook-endpoint-repository';
import { nextAttemptAt } from '@/lib/outbound-events/retry-schedule';
import type { UrlPolicy } from '@/lib/outbound-events/address-policy';
import { postWebhook, type DeliveryResult, type Resolve } from './http-delivery';
import { openSecret } from './signing-secret';

/** What delivering needs: the database, the secrets' cipher, the clock, and where deliveries may go. */
export interface DeliveryDeps {
  pool: pg.Pool;
  cipher: FieldCipher;
  clock: () => Date;
  policy: UrlPolicy;
  resolve?: Resolve;
  timeoutMs?: number;
}

/** A chain's worker holds its head this long at most (longer than a request may take). */
export const LEASE_MS = 60_000;
/** Deliveries one job sends before it hands the rest of its chain to a new job. */
const PER_JOB = 100;

/** The body of a delivery: the event's type, when it happened and its data (with the phone, read only where the endpoint allows it). */
export function deliveryBody(delivery: ClaimedDelivery): string {
  const data = delivery.contactPhone ? { ...delivery.data, phone: delivery.contactPhone } : delivery.data;
  return JSON.stringify({ type: delivery.type, timestamp: delivery.occurredAt.toISOString(), data });
}

/** The Standard Webhooks headers of a delivery signed at `at`. */
export function signedHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Optline-Webhooks/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}

/**
 * The graphile-worker task's work: sends an endpoint's pending deliveries
 * of one order key (a run, a contact), oldest first, one at a time. A
 * failed try is recorded and the chain waits for its next try (the retry
 * schedule, from the clock's now): later events of the same run wait
 * behind it, so a receiver sees a run's events in order. A delivery whose 3
 * days run out fails for good and switches its endpoint off, with the reason
 * shown in the console and an audit entry. At least once: a try whose
 * answer was lost is tried again.
 */
export async function deliverChain(deps: DeliveryDeps, chain: { endpointId: string; orderKey: string }): Promise<void> {
  const { pool } = deps;
  const deliveries = webhookDeliveryRepository(pool);
  for (let sent = 0; sent < PER_JOB; sent++) {
    const now = deps.clock();
    const head = await deliveries.claimHead(chain.endpointId, chain.orderKey, now, LEASE_MS);
    // Switched off or deleted: its deliveries wait; switching it on again resumes them.
    if (head.kind === 'off' || head.kind === 'none') return;
    if (head.kind === 'busy') {
      // Another worker is trying the head and carries on with the chain; should it die, a job at the lease's end picks it up
      // (never moving a job already waiting for a newer event later).
      await scheduleChain(pool, chain.endpointId, chain.orderKey, LEASE_MS, { keepEarlier: true });
      return;
    }
    if (head.kind === 'not-due') {
      await scheduleChain(pool, chain.endpointId, chain.orderKey, Math.max(0, head.at.getTime() - now.getTime()));
      return;
    }
    const { delivery, endpoint } = head;
    const body = deliveryBody(delivery);
    const secret = openSecret(deps.cipher, chain.endpointId, endpoint.secretCiphertext);
    const result = await postWebhook(endpoint.url, signedHeaders(secret, delivery.eventId, now, body), body, {
      policy: deps.policy,
      ...(deps.resolve ? { resolve: deps.resolve } : {}),
      ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    });
    if (!(await recordResult(deps, chain.endpointId, chain.orderKey, delivery, result, now))) return;
  }
  await scheduleChain(pool, chain.endpointId, chain.orderKey, 0);
}

/** Records a try; true when the chain may go on to its next delivery. */
async function recordResult(
  deps: DeliveryDeps,
  endpointId: string,
  orderKey: string,
  delivery: ClaimedDelivery,
  result: DeliveryResult,
  now: Date,
): Promise<boolean> {
  const base = {
    deliveryId: delivery.id,
    at: now,
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    error: result.ok ? null : result.error,
  };
  if (result.ok) {
    await webhookDeliveryRepository(deps.pool).recordAttempt({ ...base, outcome: 'delivered', nextAttemptAt: null });
    return true;
  }
  const next = nextAttemptAt(delivery.firstAttemptAt ?? now, delivery.attempts + 1, now);
  await withTransaction(deps.pool, async (tx) => {
    await webhookDeliveryRepository(tx).recordAttempt({ ...base, outcome: next ? 'retry' : 'failed', nextAttemptAt: next });
    if (next) {
      await scheduleChain(tx, endpointId, orderKey, next.getTime() - now.getTime());
      return;
    }
    const reason = `switched off ${now.toISOString()}: a delivery failed ${delivery.attempts + 1} tries over 3 days (last: ${result.error})`;
    if (await webhookEndpointRepository(tx).disable(endpointId, reason, now)) {
      await recordAudit(tx, {
        actor: 'system',
        action: 'webhook_endpoint.disabled',
        subjectType: 'webhook_endpoint',
        subjectId: endpointId,
        details: { reason, deliveryId: delivery.id },
      });
    }
  });
  return false;
}
