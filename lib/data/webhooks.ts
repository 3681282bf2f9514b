// Server only: the outbound webhook endpoints for the Settings page and the console's notice.
import { requirePermission, type Actor } from '@/lib/access/roles';
import { webhookEndpointRepository, type WebhookEndpoint } from '@/lib/db/webhook-endpoint-repository';
import { listWebhookEndpoints, type WebhookEndpointSummary } from '@/lib/outbound-webhooks';
import { processData, type DataSource } from './source';

/** Every outbound webhook endpoint with its delivery counts, for an actor who manages them (checked before any query). */
export async function webhookEndpointList(actor: Actor | null, source: DataSource = processData): Promise<WebhookEndpointSummary[]> {
  requirePermission(actor, 'webhooks.manage');
  return listWebhookEndpoints(await source.pool());
}

/** The endpoints switched off automatically after repeated failure (the console's notice), for an actor who manages them. */
export async function disabledWebhookEndpoints(actor: Actor | null, source: DataSource = processData): Promise<WebhookEndpoint[]> {
  requirePermission(actor, 'webhooks.manage');
  return webhookEndpointRepository(await source.pool()).listAutoDisabled();
}
