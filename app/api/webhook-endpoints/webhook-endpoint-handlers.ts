import type pg from 'pg';
import { z } from 'zod';
import type { Authenticate } from '@/lib/access/roles';
import { authServices } from '@/lib/auth/request-actor';
import { createFieldCipher } from '@/lib/crypto/field-cipher';
import type { WebhookDelivery } from '@/lib/db/webhook-delivery-repository';
import type { WebhookEndpoint } from '@/lib/db/webhook-endpoint-repository';
import { env } from '@/lib/env';
import { uuidField } from '@/lib/fields';
import { endpoints, errorAnswer, jsonBody, jsonResponse } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { OUTBOUND_EVENT_TYPES } from '@/lib/outbound-events/event-types';
import {
  createWebhookEndpoint,
  createWebhookEndpointBody,
  deleteWebhookEndpoint,
  deliveryLogQuery,
  getWebhookEndpoint,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  updateWebhookEndpointBody,
  webhookDeliveryLog,
  type EndpointServiceDeps,
} from '@/lib/outbound-webhooks';

// Response bodies, as zod schemas (for the OpenAPI document): every answer below is parsed with its schema before it is sent.

const instant = z.string().describe('an ISO 8601 instant (UTC)');

/** An outbound webhook endpoint (never its secret). */
export const webhookEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.enum(OUTBOUND_EVENT_TYPES)),
  includePhone: z.boolean().describe("whether payloads carry the contact's phone number"),
  enabled: z.boolean(),
  disabledAt: instant.nullable(),
  disabledReason: z.string().nullable().describe('why it was switched off automatically (repeated failure)'),
  createdBy: z.string(),
  createdAt: instant,
  updatedAt: instant,
});

/** An endpoint with its deliveries counted by status. */
export const webhookEndpointSummarySchema = webhookEndpointSchema.extend({
  deliveries: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
});

/** One event to one endpoint in the delivery log. */
export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  eventId: z.uuid().describe('the `webhook-id` header of every try'),
  eventType: z.enum(OUTBOUND_EVENT_TYPES),
  orderKey: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: instant.nullable(),
  lastAttemptAt: instant.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: instant.nullable(),
  createdAt: instant,
});

/** GET /api/webhook-endpoints → 200. */
export const listWebhookEndpointsResponse = z.object({
  endpoints: z.array(webhookEndpointSummarySchema),
  eventTypes: z.array(z.enum(OUTBOUND_EVENT_TYPES)),
});
/** POST /api/webhook-endpoints → 201; POST …/[id]/rotate-secret → 200: the secret appears in this answer only. */
export const webhookEndpointWithSecretResponse = z.object({
  endpoint: webhookEndpointSchema,
  secret: z
    .string()
    .regex(/^whsec_/)
    .describe('the signing secret (Standard Webhooks), shown once'),
});
/** GET and PATCH /api/webhook-endpoints/[id] → 200. */
export const webhookEndpointResponse = z.object({ endpoint: webhookEndpointSchema });
/** DELETE /api/webhook-endpoints/[id] → 200. */
export const deletedWebhookEndpointResponse = z.object({ deleted: z.literal(true) });
/** GET /api/webhook-endpoints/[id]/deliveries → 200. */
export const webhookDeliveryLogResponse = z.object({ deliveries: z.array(webhookDeliverySchema) });
/** POST /api/webhook-endpoints/[id]/deliveries/[deliveryId]/redeliver → 202. */
export const redeliveryResponse = z.object({ delivery: webhookDeliverySchema });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const publicEndpoint = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  eventTypes: e.eventTypes,
  includePhone: e.includePhone,
  enabled: e.enabled,
  disabledAt: iso(e.disabledAt),
  disabledReason: e.disabledReason,
  createdBy: e.createdBy,
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});
const publicDelivery = (d: WebhookDelivery) => ({
  ...d,
  nextAttemptAt: iso(d.nextAttemptAt),
  lastAttemptAt: iso(d.lastAttemptAt),
  deliveredAt: iso(d.deliveredAt),
  createdAt: d.createdAt.toISOString(),
});

const respond = <S extends z.ZodType>(schema: S, body: z.input<S>, status = 200) => json(schema.parse(body), { status });

const endpointParams = z.object({ id: uuidField('webhook endpoint') });
const notFound = errorAnswer('There is no webhook endpoint with this id.');
const deliveryParams = z.object({ id: uuidField('webhook endpoint'), deliveryId: uuidField('delivery') });

export interface WebhookEndpointDeps {
  pool: pg.Pool;
  authenticate: Authenticate;
  /** The secrets' cipher, the URL policy and the clock; by default from the environment. */
  service?: Omit<EndpointServiceDeps, 'pool'>;
}

async function processDeps(): Promise<WebhookEndpointDeps> {
  const { pool, authenticate } = await authServices();
  return { pool, authenticate };
}

/** Outbound webhook endpoints (Settings → Webhooks): admin only (`webhooks.manage`). */
export function webhookEndpointHandlers(get: () => Promise<WebhookEndpointDeps> = processDeps) {
  const endpoint = endpoints({ authenticate: async (request) => (await get()).authenticate(request) });
  const service = async (): Promise<EndpointServiceDeps> => {
    const d = await get();
    if (d.service) return { pool: d.pool, ...d.service };
    const e = env();
    return { pool: d.pool, cipher: createFieldCipher(e.appSecret), policy: e.outboundWebhooks, clock: () => new Date() };
  };

  return {
    /** GET: every endpoint with its delivery counts, and the event types there are. */
    list: endpoint(
      {
        access: 'webhooks.manage',
        doc: {
          id: 'listWebhookEndpoints',
          summary: 'List outbound webhook endpoints',
          description: 'Every endpoint with its delivery counts, and the event types an endpoint may subscribe to.',
          responses: { 200: jsonResponse('The endpoints and the event types.', listWebhookEndpointsResponse) },
        },
      },
      async () => {
        const list = await listWebhookEndpoints((await get()).pool);
        return respond(listWebhookEndpointsResponse, {
          endpoints: list.map((e) => ({ ...publicEndpoint(e), deliveries: e.deliveries })),
          eventTypes: [...OUTBOUND_EVENT_TYPES],
        });
      },
    ),

    /** POST `{ url, eventTypes, description?, includePhone? }`: a new endpoint; its signing secret is in this answer only. */
    create: endpoint(
      {
        access: 'webhooks.manage',
        body: jsonBody(createWebhookEndpointBody),
        doc: {
          id: 'createWebhookEndpoint',
          summary: 'Register an outbound webhook endpoint',
          description:
            'Its URL (https in production, never a private or loopback address), the events it wants, a description, and whether payloads may carry the phone number. The signing secret is in this answer only.',
          example: {
            url: 'https://example.com/optline-events',
            eventTypes: ['contact.opted_out', 'payment.succeeded'],
            description: 'CRM',
          },
          responses: { 201: jsonResponse('The endpoint and its signing secret (shown once).', webhookEndpointWithSecretResponse) },
        },
      },
      async ({ actor, body }) => {
        const { endpoint: created, secret } = await createWebhookEndpoint(await service(), actor, body);
        return respond(webhookEndpointWithSecretResponse, { endpoint: publicEndpoint(created), secret }, 201);
      },
    ),

    /** GET: one endpoint. */
    get: endpoint(
      {
        access: 'webhooks.manage',
        params: endpointParams,
        doc: {
          id: 'getWebhookEndpoint',
          summary: 'Get an outbound webhook endpoint',
          responses: { 200: jsonResponse('The endpoint (never its secret).', webhookEndpointResponse), 404: notFound },
        },
      },
      async ({ params }) =>
        respond(webhookEndpointResponse, { endpoint: publicEndpoint(await getWebhookEndpoint((await get()).pool, params.id)) }),
    ),

    /** PATCH `{ url?, description?, eventTypes?, includePhone?, enabled? }`. */
    update: endpoint(
      {
        access: 'webhooks.manage',
        params: endpointParams,
        body: jsonBody(updateWebhookEndpointBody),
        doc: {
          id: 'updateWebhookEndpoint',
          summary: 'Change an outbound webhook endpoint',
          description: 'Any of its URL, description, events and phone setting; `enabled: true` switches a disabled one back on.',
          example: { enabled: true },
          responses: { 200: jsonResponse('The changed endpoint.', webhookEndpointResponse), 404: notFound },
        },
      },
      async ({ actor, params, body }) =>
        respond(webhookEndpointResponse, {
          endpoint: publicEndpoint(await updateWebhookEndpoint(await service(), actor, params.id, body)),
        }),
    ),

    /** DELETE: the endpoint and its delivery log. */
    remove: endpoint(
      {
        access: 'webhooks.manage',
        params: endpointParams,
        doc: {
          id: 'deleteWebhookEndpoint',
          summary: 'Delete an outbound webhook endpoint',
          description: 'The endpoint and its delivery log.',
          responses: { 200: jsonResponse('Deleted.', deletedWebhookEndpointResponse), 404: notFound },
        },
      },
      async ({ actor, params }) => {
        await deleteWebhookEndpoint(await service(), actor, params.id);
        return respond(deletedWebhookEndpointResponse, { deleted: true });
      },
    ),

    /** POST: a new signing secret (shown once); the old one stops at once. */
    rotateSecret: endpoint(
      {
        access: 'webhooks.manage',
        params: endpointParams,
        doc: {
          id: 'rotateWebhookSecret',
          summary: "Rotate an outbound webhook endpoint's signing secret",
          description: 'A new secret, in this answer only; the old one stops at once.',
          responses: { 200: jsonResponse('The endpoint and its new secret.', webhookEndpointWithSecretResponse), 404: notFound },
        },
      },
      async ({ actor, params }) => {
        const { endpoint: rotated, secret } = await rotateWebhookSecret(await service(), actor, params.id);
        return respond(webhookEndpointWithSecretResponse, { endpoint: publicEndpoint(rotated), secret });
      },
    ),

    /** GET `?status=&limit=`: the delivery log, newest first. */
    deliveries: endpoint(
      {
        access: 'webhooks.manage',
        params: endpointParams,
        query: deliveryLogQuery,
        doc: {
          id: 'listWebhookDeliveries',
          summary: "An outbound webhook endpoint's delivery log",
          description: 'Deliveries newest first: status, tries, the last response code and latency, the next try.',
          responses: { 200: jsonResponse('The deliveries.', webhookDeliveryLogResponse), 404: notFound },
        },
      },
      async ({ params, query }) => {
        const log = await webhookDeliveryLog((await get()).pool, params.id, query);
        return respond(webhookDeliveryLogResponse, { deliveries: log.map(publicDelivery) });
      },
    ),

    /** POST: sends the delivery's event again as a new delivery (same `webhook-id`). */
    redeliver: endpoint(
      {
        access: 'webhooks.manage',
        params: deliveryParams,
        doc: {
          id: 'redeliverWebhook',
          summary: 'Send a delivery again',
          description: "The delivery's event as a new delivery, with the same `webhook-id`.",
          responses: {
            202: jsonResponse('The new delivery.', redeliveryResponse),
            404: errorAnswer('There is no such endpoint or delivery.'),
          },
        },
      },
      async ({ actor, params }) => {
        const copy = await redeliverWebhook(await service(), actor, params.id, params.deliveryId);
        return respond(redeliveryResponse, { delivery: publicDelivery(copy) }, 202);
      },
    ),
  };
}

export const handlers = webhookEndpointHandlers();
