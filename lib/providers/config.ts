import { createHmac, randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import twilio from 'twilio';
import type { Env } from '@/lib/env';
import { ProviderConfigError } from './errors';
import type { MessagingProvider } from './messaging';
import type { PaymentProvider } from './payments';
import { SandboxMessagingProvider, type SandboxMessagingOptions } from './sandbox/sandbox-messaging-provider';
import { InMemorySandboxOutbox, type SandboxOutbox } from './sandbox/sandbox-outbox';
import { SandboxPaymentProvider } from './sandbox/sandbox-payment-provider';
import { StripePaymentProvider } from './stripe/stripe-payment-provider';
import { TwilioMessagingProvider } from './twilio/twilio-messaging-provider';

/** The variables that choose the providers, by their environment names; empty strings count as unset. */
export interface ProviderEnv {
  PUBLIC_URL?: string;
  /** Keys the sandbox webhook secret, so every process of one deployment shares it. */
  APP_SECRET?: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_MESSAGING_SERVICE_SID?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
}

export interface SelectProvidersOptions {
  /** Where sandbox texts go; the runtime passes its database outbox. Default: a new in-memory outbox. */
  sandboxOutbox?: SandboxOutbox;
  clock?: () => Date;
  /** Where the sandbox posts its texts' delivery statuses (the status webhook's work); absent: none are reported. */
  sandboxStatus?: SandboxMessagingOptions['reportStatus'];
}

export interface SelectedProviders {
  messaging: MessagingProvider;
  payments: PaymentProvider;
  /** The sandbox adapters when in use: the phone simulator and the test payment page need their helpers. */
  sandbox: { messaging?: SandboxMessagingProvider; payments?: SandboxPaymentProvider; outbox?: SandboxOutbox };
}

const TWILIO_VARS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_MESSAGING_SERVICE_SID'] as const;
const STRIPE_VARS = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;
const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

/**
 * The messaging and payment providers for an environment: Twilio when all
 * three TWILIO_* variables are set, Stripe when both STRIPE_* are, the sandbox
 * for whichever is not configured at all. A provider configured in part is an
 * error naming each missing variable — never a silent fall back to the
 * sandbox. Takes the environment as an argument; it never reads process.env.
 */
export function selectProviders(env: ProviderEnv, options: SelectProvidersOptions = {}): SelectedProviders {
  const v = (name: keyof ProviderEnv) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const problems = [...missing(TWILIO_VARS, v), ...missing(STRIPE_VARS, v)];
  const useTwilio = TWILIO_VARS.every((n) => v(n));
  const useStripe = STRIPE_VARS.every((n) => v(n));
  const publicUrlText = v('PUBLIC_URL');
  if ((useTwilio || useStripe) && !publicUrlText) {
    problems.push('PUBLIC_URL is required when Twilio or Stripe is configured (webhook signatures are checked against it)');
  }
  if (publicUrlText && !/^https?:\/\/[^\s/]+/.test(publicUrlText)) {
    problems.push(`PUBLIC_URL must be an http(s) URL such as https://optline.example.com, not "${publicUrlText}"`);
  }
  if (problems.length > 0) throw new ProviderConfigError(problems);
  const publicUrl = (publicUrlText ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, '');

  const sandbox: SelectedProviders['sandbox'] = {};
  const sandboxSecret = (() => {
    let secret: string | undefined;
    return () => (secret ??= deriveSandboxSecret(v('APP_SECRET')));
  })();

  let messaging: MessagingProvider;
  if (useTwilio) {
    const [accountSid, authToken, messagingServiceSid] = TWILIO_VARS.map((n) => v(n)!) as [string, string, string];
    messaging = new TwilioMessagingProvider({
      client: createTwilioClient(accountSid, authToken),
      messagingServiceSid,
      authToken,
      publicUrl,
    });
  } else {
    sandbox.outbox = options.sandboxOutbox ?? new InMemorySandboxOutbox();
    sandbox.messaging = new SandboxMessagingProvider({
      outbox: sandbox.outbox,
      secret: sandboxSecret(),
      publicUrl,
      clock: options.clock,
      ...(options.sandboxStatus ? { reportStatus: options.sandboxStatus } : {}),
    });
    messaging = sandbox.messaging;
  }

  let payments: PaymentProvider;
  if (useStripe) {
    const client = new Stripe(v('STRIPE_SECRET_KEY')!, { appInfo: { name: 'Optline' } });
    payments = new StripePaymentProvider({ client, webhookSecret: v('STRIPE_WEBHOOK_SECRET')!, clock: options.clock });
  } else {
    sandbox.payments = new SandboxPaymentProvider({ secret: sandboxSecret(), publicUrl, clock: options.clock });
    payments = sandbox.payments;
  }
  return { messaging, payments, sandbox };
}

/** The provider variables of the validated environment (`lib/env.ts`). */
export function providerEnvOf(env: Env): ProviderEnv {
  return {
    PUBLIC_URL: env.publicUrl,
    APP_SECRET: env.appSecret,
    TWILIO_ACCOUNT_SID: env.twilio?.accountSid,
    TWILIO_AUTH_TOKEN: env.twilio?.authToken,
    TWILIO_MESSAGING_SERVICE_SID: env.twilio?.messagingServiceSid,
    STRIPE_SECRET_KEY: env.stripe?.secretKey,
    STRIPE_WEBHOOK_SECRET: env.stripe?.webhookSecret,
  };
}

function missing(names: readonly (keyof ProviderEnv)[], v: (name: keyof ProviderEnv) => string | undefined): string[] {
  const set = names.filter((n) => v(n));
  if (set.length === 0 || set.length === names.length) return [];
  return names.filter((n) => !v(n)).map((n) => `${n} is required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set`);
}

function createTwilioClient(accountSid: string, authToken: string): twilio.Twilio {
  try {
    return twilio(accountSid, authToken);
  } catch (error) {
    throw new ProviderConfigError([`TWILIO_ACCOUNT_SID is not usable: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

/**
 * The sandbox webhook secret: derived from APP_SECRET, so the app and its
 * workers agree; without APP_SECRET, random for this process only (sandbox
 * webhooks then verify only in the process that signed them).
 */
function deriveSandboxSecret(appSecret: string | undefined): string {
  if (!appSecret) return randomBytes(32).toString('hex');
  return createHmac('sha256', appSecret).update('optline/sandbox-webhooks/v1', 'utf8').digest('hex');
}
