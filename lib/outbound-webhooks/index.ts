// Outbound webhooks (server only): endpoints an admin registers, signed deliveries with retries, SSRF-safe requests.
export { LEASE_MS, deliverChain, deliveryBody, signedHeaders, type DeliveryDeps } from './deliver-chain';
export {
  MAX_WEBHOOK_ENDPOINTS,
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
  type NewWebhookEndpoint,
  type WebhookEndpointSummary,
  type WebhookEndpointUpdate,
} from './endpoint-service';
export { checkedAddresses, postWebhook, systemResolve, RefusedAddressError, type DeliveryResult, type Resolve } from './http-delivery';
export { newSigningSecret, openSecret, sealSecret } from './signing-secret';
