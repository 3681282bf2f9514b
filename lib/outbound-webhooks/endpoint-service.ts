import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { actorRef, type Actor } from '@/lib/access/roles';
import { AppError } from '@/lib/app-error';
import type { FieldCipher } from '@/lib/crypto/field-cipher';
import { recordAudit } from '@/lib/db/audit-repository';
import { withTransaction } from '@/lib/db/queryable';
import { webhookDeliveryRepository, type DeliveryStatus, type WebhookDelivery } from '@/lib/db/webhook-delivery-repository';
import { webhookEndpointRepository, type WebhookEndpoint } from '@/lib/db/webhook-endpoint-repository';
import { OUTBOUND_EVENT_TYPES } from '@/lib/outbound-events/event-types';
import { urlProblem, type UrlPolicy } from '@/lib/outbound-events/address-policy';
import { newSigningSecret, sealSecret } from './signing-secret';

/** How many endpoints an installation may register. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

const urlField = z.string({ error: 'write the endpoint URL' }).trim().min(1, { error: 'write the endpoint URL' }).max(2048, {
  error: 'the URL is longer than 2048 characters',
});
const descriptionField = z.string().trim().max(500, { error: 'the description is longer than 500 characters' });
const eventTypesField = z
  .array(z.enum(OUTBOUND_EVENT_TYPES, { error: `is not an event type (one of ${OUTBOUND_EVENT_TYPES.join(', ')})` }), {
    error: 'a list of event types like ["run.finished"]',
  })
  .min(1, { error: 'choose at least one event type' })
  .max(OUTBOUND_EVENT_TYPES.length * 2)
  .transform((types) => [...new Set(types)]);

/** The body of POST /api/webhook-endpoints. */
export const createWebhookEndpointBody = z.strictObject({
  url: urlField,
  description: descriptionField.default(''),
  eventTypes: eventTypesField,
  /** Whether payloads may carry the contact's phone number (off unless asked for). */
  includePhone: z.boolean({ error: 'true or false' }).default(false),
});

/** The body of PATCH /api/webhook-endpoints/[id]: any field, at least one; `enabled: true` switches a disabled endpoint back on. */
export const updateWebhookEndpointBody = z
  .strictObject({
    url: urlField.optional(),
    description: descriptionField.optional(),
    eventTypes: eventTypesField.optional(),
    includePhone: z.boolean({ error: 'true or false' }).optional(),
    enabled: z.boolean({ error: 'true or false' }).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'send at least one field to change' });

export type NewWebhookEndpoint = z.infer<typeof createWebhookEndpointBody>;
export type WebhookEndpointUpdate = z.infer<typeof updateWebhookEndpointBody>;

/** What the endpoint service needs: the database, the secrets' cipher and the URL policy of this installation. */
export interface EndpointServiceDeps {
  pool: pg.Pool;
  cipher: FieldCipher;
  policy: UrlPolicy;
  clock: () => Date;
}

/** An endpoint with its delivery counts. */
export type WebhookEndpointSummary = WebhookEndpoint & { deliveries: Record<DeliveryStatus, number> };

function checkUrl(url: string, policy: UrlPolicy): void {
  const problem = urlProblem(url, policy);
  if (problem) throw new AppError('validation_failed', `url: ${problem}`, { path: 'url' });
}

async function existing(tx: pg.PoolClient, id: string): Promise<WebhookEndpoint> {
  const endpoint = await webhookEndpointRepository(tx).get(id, { lock: true });
  if (!endpoint) throw new AppError('not_found', 'no such webhook endpoint');
  return endpoint;
}

/**
 * Registers an endpoint: its URL checked (https in production, no private
 * target), a new signing secret stored encrypted and returned once. Audited
 * in the same transaction.
 */
export async function createWebhookEndpoint(
  deps: EndpointServiceDeps,
  actor: Actor,
  input: NewWebhookEndpoint,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  checkUrl(input.url, deps.policy);
  return withTransaction(deps.pool, async (tx) => {
    const repo = webhookEndpointRepository(tx);
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', ['webhook_endpoints.create']);
    if ((await repo.list()).length >= MAX_WEBHOOK_ENDPOINTS) {
      throw new AppError('conflict', `at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints: delete one first`);
    }
    const id = randomUUID();
    const secret = newSigningSecret();
    const endpoint = await repo.create({
      id,
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes,
      includePhone: input.includePhone,
      secretCiphertext: sealSecret(deps.cipher, id, secret),
      createdBy: actorRef(actor),
    });
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'webhook_endpoint.created',
      subjectType: 'webhook_endpoint',
      subjectId: id,
      details: { url: endpoint.url, eventTypes: endpoint.eventTypes, includePhone: endpoint.includePhone },
    });
    return { endpoint, secret };
  });
}

/** Every endpoint with its delivery counts, oldest first. */
export async function listWebhookEndpoints(pool: pg.Pool): Promise<WebhookEndpointSummary[]> {
  const endpoints = await webhookEndpointRepository(pool).list();
  const counts = await webhookDeliveryRepository(pool).counts(endpoints.map((e) => e.id));
  return endpoints.map((e) => ({ ...e, deliveries: counts.get(e.id)! }));
}

/** One endpoint; not_found if there is none. */
export async function getWebhookEndpoint(pool: pg.Pool, id: string): Promise<WebhookEndpoint> {
  const endpoint = await webhookEndpointRepository(pool).get(id);
  if (!endpoint) throw new AppError('not_found', 'no such webhook endpoint');
  return endpoint;
}

/** Changes an endpoint and audits what changed; switching it back on resumes its waiting deliveries. */
export async function updateWebhookEndpoint(
  deps: EndpointServiceDeps,
  actor: Actor,
  id: string,
  change: WebhookEndpointUpdate,
): Promise<WebhookEndpoint> {
  if (change.url !== undefined) checkUrl(change.url, deps.policy);
  return withTransaction(deps.pool, async (tx) => {
    const before = await existing(tx, id);
    const after = (await webhookEndpointRepository(tx).update(id, change))!;
    const fields = ['url', 'description', 'eventTypes', 'includePhone', 'enabled'] as const;
    const changed = fields.filter((k) => change[k] !== undefined && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (after.enabled && !before.enabled) await webhookDeliveryRepository(tx).resumeChains(id);
    if (changed.length > 0) {
      await recordAudit(tx, {
        actor: actorRef(actor),
        action: 'webhook_endpoint.changed',
        subjectType: 'webhook_endpoint',
        subjectId: id,
        details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
      });
    }
    return after;
  });
}

/** Deletes an endpoint with its delivery log; audited. */
export async function deleteWebhookEndpoint(deps: EndpointServiceDeps, actor: Actor, id: string): Promise<void> {
  await withTransaction(deps.pool, async (tx) => {
    const endpoint = await existing(tx, id);
    await webhookEndpointRepository(tx).remove(id);
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'webhook_endpoint.deleted',
      subjectType: 'webhook_endpoint',
      subjectId: id,
      details: { url: endpoint.url },
    });
  });
}

/** A new signing secret for an endpoint, returned once; the old one stops signing at once. Audited. */
export async function rotateWebhookSecret(
  deps: EndpointServiceDeps,
  actor: Actor,
  id: string,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  return withTransaction(deps.pool, async (tx) => {
    const endpoint = await existing(tx, id);
    const secret = newSigningSecret();
    await webhookEndpointRepository(tx).setSecret(id, sealSecret(deps.cipher, id, secret));
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'webhook_endpoint.secret_rotated',
      subjectType: 'webhook_endpoint',
      subjectId: id,
      details: {},
    });
    return { endpoint, secret };
  });
}

/** The delivery log's query: `?status=&limit=`. */
export const deliveryLogQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed'], { error: 'is not pending, delivered or failed' }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { error: 'is not a whole number from 1 to 500' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, { error: 'is not a whole number from 1 to 500' })
    .optional(),
});

/** An endpoint's deliveries, newest first (status, tries, response code, latency, next try). */
export async function webhookDeliveryLog(pool: pg.Pool, id: string, query: z.infer<typeof deliveryLogQuery>): Promise<WebhookDelivery[]> {
  await getWebhookEndpoint(pool, id);
  return webhookDeliveryRepository(pool).log(id, { limit: query.limit ?? 100, ...(query.status ? { status: query.status } : {}) });
}

/** Sends one of an endpoint's deliveries again (a new delivery of the same event, same `webhook-id`); audited. */
export async function redeliverWebhook(
  deps: EndpointServiceDeps,
  actor: Actor,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  return withTransaction(deps.pool, async (tx) => {
    const endpoint = await existing(tx, endpointId);
    if (!endpoint.enabled) {
      throw new AppError('conflict', 'the endpoint is switched off: switch it on first (its waiting deliveries then resume)');
    }
    const copy = await webhookDeliveryRepository(tx).redeliver(endpointId, deliveryId);
    if (!copy) throw new AppError('not_found', 'this endpoint has no such delivery');
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'webhook_endpoint.redelivered',
      subjectType: 'webhook_endpoint',
      subjectId: endpointId,
      details: { deliveryId, newDeliveryId: copy.id, eventId: copy.eventId },
    });
    return copy;
  });
}
