import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { providerEnvOf, selectProviders, type ProviderEnv } from './config';
import { ProviderConfigError } from './errors';
import { InMemorySandboxOutbox } from './sandbox/sandbox-outbox';
import { SandboxMessagingProvider } from './sandbox/sandbox-messaging-provider';
import { SandboxPaymentProvider } from './sandbox/sandbox-payment-provider';
import { StripePaymentProvider } from './stripe/stripe-payment-provider';
import { TwilioMessagingProvider } from './twilio/twilio-messaging-provider';

const twilioVars = {
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'test-auth-token-0123456789abcdef',
  TWILIO_MESSAGING_SERVICE_SID: 'MG00112233445566778899aabbccddeeff',
};
const stripeVars = { STRIPE_SECRET_KEY: 'sk_test_51Optline000', STRIPE_WEBHOOK_SECRET: 'whsec_optline_test' };
const PUBLIC_URL = 'https://optline.example.com';

function problemsOf(env: ProviderEnv): string[] {
  try {
    selectProviders(env);
  } catch (error) {
    if (error instanceof ProviderConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('selectProviders', () => {
  it('uses the sandbox for both with nothing configured', () => {
    const { messaging, payments, sandbox } = selectProviders({});
    expect(messaging).toBeInstanceOf(SandboxMessagingProvider);
    expect(payments).toBeInstanceOf(SandboxPaymentProvider);
    expect(sandbox.messaging).toBe(messaging);
    expect(sandbox.payments).toBe(payments);
    expect(sandbox.outbox).toBeInstanceOf(InMemorySandboxOutbox);
  });

  it('uses Twilio and Stripe when both are fully configured', () => {
    const { messaging, payments, sandbox } = selectProviders({ ...twilioVars, ...stripeVars, PUBLIC_URL });
    expect([messaging.name, payments.name]).toEqual(['twilio', 'stripe']);
    expect(messaging).toBeInstanceOf(TwilioMessagingProvider);
    expect(payments).toBeInstanceOf(StripePaymentProvider);
    expect(sandbox).toEqual({});
  });

  it('mixes: Twilio with sandbox payments, and sandbox messaging with Stripe', () => {
    const a = selectProviders({ ...twilioVars, PUBLIC_URL });
    expect([a.messaging.name, a.payments.name]).toEqual(['twilio', 'sandbox']);
    const b = selectProviders({ ...stripeVars, PUBLIC_URL });
    expect([b.messaging.name, b.payments.name]).toEqual(['sandbox', 'stripe']);
  });

  it('names each missing variable of a partly configured provider', () => {
    expect(problemsOf({ TWILIO_ACCOUNT_SID: twilioVars.TWILIO_ACCOUNT_SID, PUBLIC_URL })).toEqual([
      'TWILIO_AUTH_TOKEN is required when TWILIO_ACCOUNT_SID is set',
      'TWILIO_MESSAGING_SERVICE_SID is required when TWILIO_ACCOUNT_SID is set',
    ]);
    expect(problemsOf({ ...twilioVars, TWILIO_MESSAGING_SERVICE_SID: '', STRIPE_WEBHOOK_SECRET: 'whsec_x', PUBLIC_URL })).toEqual([
      'TWILIO_MESSAGING_SERVICE_SID is required when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set',
      'STRIPE_SECRET_KEY is required when STRIPE_WEBHOOK_SECRET is set',
    ]);
  });

  it('requires PUBLIC_URL with a real provider, and an http(s) one', () => {
    expect(problemsOf({ ...stripeVars })).toEqual([
      'PUBLIC_URL is required when Twilio or Stripe is configured (webhook signatures are checked against it)',
    ]);
    expect(problemsOf({ PUBLIC_URL: 'optline.example.com' })).toEqual([
      'PUBLIC_URL must be an http(s) URL such as https://optline.example.com, not "optline.example.com"',
    ]);
    expect(() => selectProviders({ TWILIO_AUTH_TOKEN: 'x' })).toThrow(
      'provider configuration invalid:\n  - TWILIO_ACCOUNT_SID is required when TWILIO_AUTH_TOKEN is set\n  - TWILIO_MESSAGING_SERVICE_SID is required when TWILIO_AUTH_TOKEN is set',
    );
  });

  it('uses the given outbox and the public URL for sandbox links and webhooks', async () => {
    const outbox = new InMemorySandboxOutbox();
    const { messaging, payments, sandbox } = selectProviders({ PUBLIC_URL: 'https://dev.example.com/' }, { sandboxOutbox: outbox });
    expect(sandbox.outbox).toBe(outbox);
    await messaging.send({ to: '+13055550123', body: 'hi', effectId: 'e:1:0' });
    expect(outbox.list()).toHaveLength(1);
    const link = await payments.createPaymentLink({
      effectId: 'e:2:0',
      runId: 'e',
      amountMinor: 100,
      currency: 'usd',
      description: 'x',
      successUrl: 'https://dev.example.com/ok',
      cancelUrl: 'https://dev.example.com/no',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    expect(link.url).toBe(`https://dev.example.com/pay/${link.token}`);
    expect(sandbox.messaging!.simulateInbound({ from: '+13055550123', body: 'YES' }).url).toBe(
      'https://dev.example.com/api/sandbox/inbound',
    );
  });

  it('derives one sandbox secret from APP_SECRET, so a webhook signed by one process verifies in another', () => {
    const env = { APP_SECRET: 'x'.repeat(40) };
    const hook = selectProviders(env).sandbox.messaging!.simulateInbound({ from: '+13055550123', body: 'YES' });
    expect(selectProviders(env).sandbox.messaging!.verifyWebhook(hook)).toBe(true);
    expect(selectProviders({ APP_SECRET: 'y'.repeat(40) }).sandbox.messaging!.verifyWebhook(hook)).toBe(false);
    expect(selectProviders({}).sandbox.messaging!.verifyWebhook(hook)).toBe(false);
  });

  it('accepts the validated environment of lib/env', () => {
    const env = parseEnv({ ...twilioVars, PUBLIC_URL: 'https://optline.example.com/' });
    const { messaging, payments } = selectProviders(providerEnvOf(env));
    expect([messaging.name, payments.name]).toEqual(['twilio', 'sandbox']);
  });
});
