// The ports to the outside (MessagingProvider, PaymentProvider), their errors, and the adapters' selection from the environment. Server only: config.ts brings the Twilio and Stripe SDKs.
export { providerEnvOf, type SelectedProviders, selectProviders } from './config';
export { ProviderError, WebhookPayloadError, WebhookSignatureError } from './errors';
export { type MessagingProvider, type StatusUpdate, type WebhookRequest } from './messaging';
export { hashPaymentToken, isPaymentToken, newPaymentToken } from './payment-token';
export { type CardChecks, type PaymentEvent, type PaymentProvider } from './payments';
export { sandboxMessagesFor } from './sandbox/sandbox-message-view';
export { InMemorySandboxOutbox, type SandboxOutboundMessage, type SandboxOutbox } from './sandbox/sandbox-outbox';
