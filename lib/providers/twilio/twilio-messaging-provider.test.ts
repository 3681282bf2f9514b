import twilio from 'twilio';
import type { RequestOptions } from 'twilio/lib/base/RequestClient';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, WebhookPayloadError } from '@/lib/providers/errors';
import type { MessagingProvider } from '@/lib/providers/messaging';
import { LoopbackTwilioRequestClient } from '@/lib/providers/testing/loopback-twilio-client';
import { basicAuth, startRecordingServer, type RecordingServer } from '@/lib/providers/testing/recording-server';
import { TwilioMessagingProvider } from './twilio-messaging-provider';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
const SERVICE_SID = 'MG00112233445566778899aabbccddeeff';
const MESSAGE_SID = 'SM9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const PUBLIC_URL = 'https://optline.example.com';

let server: RecordingServer;
let httpClient: LoopbackTwilioRequestClient;
let provider: TwilioMessagingProvider;

beforeAll(async () => {
  server = await startRecordingServer();
  httpClient = new LoopbackTwilioRequestClient(server.url);
  provider = new TwilioMessagingProvider({
    client: twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient }),
    messagingServiceSid: SERVICE_SID,
    authToken: AUTH_TOKEN,
    publicUrl: `${PUBLIC_URL}/`,
  });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  httpClient.requestedUris.length = 0;
});

/** A Message resource as Twilio returns it (https://www.twilio.com/docs/messaging/api/message-resource). */
function messageResource(overrides: Record<string, unknown> = {}) {
  return {
    account_sid: ACCOUNT_SID,
    api_version: '2010-04-01',
    body: 'Your appointment is tomorrow at 9:00. Reply STOP to opt out.',
    date_created: 'Tue, 03 Mar 2026 14:00:00 +0000',
    date_sent: null,
    date_updated: 'Tue, 03 Mar 2026 14:00:00 +0000',
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: null,
    messaging_service_sid: SERVICE_SID,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: MESSAGE_SID,
    status: 'accepted',
    subresource_uris: { media: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}/Media.json` },
    to: '+13055550123',
    uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}.json`,
    ...overrides,
  };
}

function twilioError(status: number, code: number, message: string) {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

const message = {
  to: '+13055550123',
  body: 'Your appointment is tomorrow at 9:00. Reply STOP to opt out.',
  effectId: 'run_42:3:0',
};

describe('TwilioMessagingProvider.send', () => {
  it('creates one message through the Messaging Service with the status callback carrying the effect id', async () => {
    server.respond(() => ({ status: 201, body: messageResource() }));

    const result = await provider.send(message);

    expect(result).toEqual({ providerId: MESSAGE_SID, status: 'queued' });
    expect(httpClient.requestedUris).toEqual([`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`]);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(basicAuth(req.headers)).toEqual({ user: ACCOUNT_SID, password: AUTH_TOKEN });
    expect(req.form).toEqual({
      To: '+13055550123',
      Body: 'Your appointment is tomorrow at 9:00. Reply STOP to opt out.',
      MessagingServiceSid: SERVICE_SID,
      StatusCallback: 'https://optline.example.com/api/webhooks/twilio/status?effectId=run_42%3A3%3A0',
    });
    // Twilio's Message create has no idempotency key: nothing pretends otherwise.
    expect(req.headers['i-twilio-idempotency-token']).toBeUndefined();
    expect(req.headers['idempotency-key']).toBeUndefined();
  });

  it('uses a message’s own status callback URL, still with the effect id', async () => {
    server.respond(() => ({ status: 201, body: messageResource({ status: 'queued' }) }));

    await provider.send({ ...message, statusCallbackUrl: 'https://hooks.example.com/status?tenant=7' });

    expect(server.requests[0]!.form.StatusCallback).toBe('https://hooks.example.com/status?tenant=7&effectId=run_42%3A3%3A0');
  });

  it('maps a 21610 unsubscribed recipient to a permanent opted-out error and does not retry', async () => {
    server.respond(() => twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));

    const error = await provider.send(message).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: 'twilio',
      kind: 'recipient_opted_out',
      retryable: false,
      outcomeUnknown: false,
      status: 400,
      providerCode: '21610',
      message: 'twilio: sending effect run_42:3:0 failed (HTTP 400, error 21610): Attempt to send to unsubscribed recipient',
    });
    expect(server.requests).toHaveLength(1);
  });

  it('maps an invalid number (21211) to a permanent invalid-recipient error', async () => {
    server.respond(() => twilioError(400, 21211, "The 'To' number +1305555 is not a valid phone number."));
    await expect(provider.send(message)).rejects.toMatchObject({ kind: 'invalid_recipient', retryable: false, providerCode: '21211' });
  });

  it('maps 429 to a retryable error that provably sent nothing, making a single request', async () => {
    server.respond(() => twilioError(429, 20429, 'Too Many Requests'));

    await expect(provider.send(message)).rejects.toMatchObject({
      kind: 'rate_limited',
      retryable: true,
      outcomeUnknown: false,
      status: 429,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('keeps at most maxConcurrentRequests requests in flight (Twilio refuses an account beyond its concurrency limit); the rest wait their turn', async () => {
    server.respond(() => ({ status: 201, body: messageResource() }));
    let inFlight = 0;
    let most = 0;
    /** The loopback client, each request held a moment so that they overlap. */
    class SlowClient extends LoopbackTwilioRequestClient {
      override async request<TData>(opts: RequestOptions<TData>) {
        most = Math.max(most, ++inFlight);
        try {
          await new Promise((r) => setTimeout(r, 20));
          return await super.request<TData>(opts);
        } finally {
          inFlight--;
        }
      }
    }
    const limited = new TwilioMessagingProvider({
      client: twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: new SlowClient(server.url) }),
      messagingServiceSid: SERVICE_SID,
      authToken: AUTH_TOKEN,
      publicUrl: PUBLIC_URL,
      maxConcurrentRequests: 2,
    });

    const sent = await Promise.all(Array.from({ length: 6 }, (_, i) => limited.send({ ...message, effectId: `run_42:3:${i}` })));

    expect(sent.map((r) => r.providerId)).toEqual(Array(6).fill(MESSAGE_SID));
    expect(server.requests).toHaveLength(6);
    expect(most).toBe(2);
  });

  it('maps 5xx to a retryable error whose outcome is unknown, so the engine reconciles instead of resending', async () => {
    server.respond(() => twilioError(503, 20500, 'Service Unavailable'));

    await expect(provider.send(message)).rejects.toMatchObject({ kind: 'unavailable', retryable: true, outcomeUnknown: true, status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it('maps bad credentials (401, 20003) to a permanent auth error', async () => {
    server.respond(() => twilioError(401, 20003, 'Authenticate'));
    await expect(provider.send(message)).rejects.toMatchObject({ kind: 'auth', retryable: false, status: 401, providerCode: '20003' });
  });

  it('reports a refused connection as retryable with nothing sent', async () => {
    const closed = await startRecordingServer();
    await closed.close();
    const offline = new TwilioMessagingProvider({
      client: twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: new LoopbackTwilioRequestClient(closed.url) }),
      messagingServiceSid: SERVICE_SID,
      authToken: AUTH_TOKEN,
      publicUrl: PUBLIC_URL,
    });

    await expect(offline.send(message)).rejects.toMatchObject({
      kind: 'network',
      retryable: true,
      outcomeUnknown: false,
      providerCode: 'ECONNREFUSED',
    });
  });

  it('refuses a recipient that is not E.164 without calling Twilio', async () => {
    await expect(provider.send({ ...message, to: '305-555-0123' })).rejects.toMatchObject({ kind: 'invalid_recipient', retryable: false });
    expect(server.requests).toHaveLength(0);
  });
});

describe('TwilioMessagingProvider.fetchStatus', () => {
  it('fetches the message by sid and maps its status', async () => {
    server.respond(() => ({ status: 200, body: messageResource({ status: 'delivered', date_sent: 'Tue, 03 Mar 2026 14:00:02 +0000' }) }));

    expect(await provider.fetchStatus(MESSAGE_SID)).toEqual({ providerId: MESSAGE_SID, status: 'delivered' });
    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}.json`],
    ]);
    expect(basicAuth(server.requests[0]!.headers)).toEqual({ user: ACCOUNT_SID, password: AUTH_TOKEN });
  });

  it('returns the carrier error of an undelivered message', async () => {
    server.respond(() => ({
      status: 200,
      body: messageResource({ status: 'undelivered', error_code: 30003, error_message: 'Unreachable destination handset' }),
    }));

    expect(await provider.fetchStatus(MESSAGE_SID)).toEqual({
      providerId: MESSAGE_SID,
      status: 'undelivered',
      errorCode: 30003,
      errorMessage: 'Unreachable destination handset',
    });
  });

  it('maps a 404 to a permanent error', async () => {
    server.respond(() => twilioError(404, 20404, 'The requested resource was not found'));
    await expect(provider.fetchStatus(MESSAGE_SID)).rejects.toMatchObject({ kind: 'rejected', retryable: false, status: 404 });
  });

  it('refuses an id that is not a MessageSid without calling Twilio', async () => {
    await expect(provider.fetchStatus('../Calls/CA1')).rejects.toMatchObject({ kind: 'rejected' });
    expect(server.requests).toHaveLength(0);
  });

  it('has no look-up by effect id: Twilio cannot search by one', () => {
    const port: MessagingProvider = provider;
    expect(port.findByEffectId).toBeUndefined();
  });
});

/** An inbound-message webhook as Twilio posts it to a Messaging Service's inbound URL. */
const inboundForm: Record<string, string> = {
  ToCountry: 'US',
  ToState: 'FL',
  SmsMessageSid: 'SMa1b2c3d4e5f60718293a4b5c6d7e8f90',
  NumMedia: '0',
  ToCity: 'MIAMI',
  FromZip: '33101',
  SmsSid: 'SMa1b2c3d4e5f60718293a4b5c6d7e8f90',
  FromState: 'FL',
  SmsStatus: 'received',
  FromCity: 'MIAMI',
  Body: 'Yes',
  FromCountry: 'US',
  To: '+13055550100',
  MessagingServiceSid: SERVICE_SID,
  ToZip: '33101',
  NumSegments: '1',
  MessageSid: 'SMa1b2c3d4e5f60718293a4b5c6d7e8f90',
  AccountSid: ACCOUNT_SID,
  From: '+13055550123',
  ApiVersion: '2010-04-01',
};

/** A delivery-status webhook as Twilio posts it to a message's StatusCallback. */
const statusForm: Record<string, string> = {
  SmsSid: MESSAGE_SID,
  SmsStatus: 'undelivered',
  MessageStatus: 'undelivered',
  To: '+13055550123',
  MessagingServiceSid: SERVICE_SID,
  MessageSid: MESSAGE_SID,
  AccountSid: ACCOUNT_SID,
  From: '+13055550100',
  ApiVersion: '2010-04-01',
  ErrorCode: '30003',
};

describe('TwilioMessagingProvider.parseInbound and parseStatus', () => {
  it('reads an inbound text', () => {
    expect(provider.parseInbound(inboundForm)).toEqual({
      providerId: 'SMa1b2c3d4e5f60718293a4b5c6d7e8f90',
      from: '+13055550123',
      to: '+13055550100',
      body: 'Yes',
    });
  });

  it('reads an inbound text to a short code of the Messaging Service', () => {
    expect(provider.parseInbound({ ...inboundForm, To: '88555' }).to).toBe('88555');
  });

  it('rejects an inbound form without a MessageSid or with a non-E.164 sender', () => {
    const { MessageSid: _sid, ...noSid } = inboundForm;
    expect(() => provider.parseInbound(noSid)).toThrow(WebhookPayloadError);
    expect(() => provider.parseInbound({ ...inboundForm, From: '3055550123' })).toThrow(
      'twilio webhook payload invalid: From must be an E.164 number',
    );
  });

  it('reads a status callback with its error code and the effect id from the callback URL', () => {
    const url = 'https://optline.example.com/api/webhooks/twilio/status?effectId=run_42%3A3%3A0';
    expect(provider.parseStatus(statusForm, url)).toEqual({
      providerId: MESSAGE_SID,
      status: 'undelivered',
      errorCode: 30003,
      effectId: 'run_42:3:0',
    });
  });

  it('maps every Twilio status to one of the port’s five', () => {
    const cases: Record<string, string> = {
      accepted: 'queued',
      scheduled: 'queued',
      queued: 'queued',
      sending: 'queued',
      sent: 'sent',
      partially_delivered: 'sent',
      delivered: 'delivered',
      read: 'delivered',
      undelivered: 'undelivered',
      failed: 'failed',
      canceled: 'failed',
    };
    const { ErrorCode: _e, ...base } = statusForm;
    const mapped = Object.fromEntries(Object.keys(cases).map((s) => [s, provider.parseStatus({ ...base, MessageStatus: s }).status]));
    expect(mapped).toEqual(cases);
  });

  it('rejects an unknown status', () => {
    expect(() => provider.parseStatus({ ...statusForm, MessageStatus: 'teleported' })).toThrow(
      'twilio webhook payload invalid: MessageStatus "teleported" is not a Twilio message status',
    );
  });
});

describe('TwilioMessagingProvider.verifyWebhook', () => {
  const url = 'https://optline.example.com/api/webhooks/twilio/inbound';
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, inboundForm);

  it('accepts a request signed by Twilio for this URL and these fields', () => {
    expect(provider.verifyWebhook({ url, params: inboundForm, signature })).toBe(true);
  });

  it('accepts a signed status callback whose URL carries the effect id', () => {
    const statusUrl = provider.statusCallbackUrl('run_42:3:0');
    const sig = twilio.getExpectedTwilioSignature(AUTH_TOKEN, statusUrl, statusForm);
    expect(provider.verifyWebhook({ url: statusUrl, params: statusForm, signature: sig })).toBe(true);
    // The effect id is covered by the signature: changing it breaks the check.
    expect(provider.verifyWebhook({ url: provider.statusCallbackUrl('run_42:3:1'), params: statusForm, signature: sig })).toBe(false);
  });

  it('rejects a tampered field', () => {
    expect(provider.verifyWebhook({ url, params: { ...inboundForm, Body: 'STOP' }, signature })).toBe(false);
    expect(provider.verifyWebhook({ url, params: { ...inboundForm, Extra: 'x' }, signature })).toBe(false);
  });

  it('rejects a missing, empty or foreign signature', () => {
    expect(provider.verifyWebhook({ url, params: inboundForm, signature: null })).toBe(false);
    expect(provider.verifyWebhook({ url, params: inboundForm, signature: '' })).toBe(false);
    const foreign = twilio.getExpectedTwilioSignature('another-account-token-000000000', url, inboundForm);
    expect(provider.verifyWebhook({ url, params: inboundForm, signature: foreign })).toBe(false);
  });

  it('rejects a signature made for another URL', () => {
    expect(provider.verifyWebhook({ url: 'https://optline.example.com/api/webhooks/twilio/status', params: inboundForm, signature })).toBe(
      false,
    );
    expect(provider.verifyWebhook({ url: 'http://localhost:3000/api/webhooks/twilio/inbound', params: inboundForm, signature })).toBe(
      false,
    );
    expect(provider.verifyWebhook({ url: 'not a url', params: inboundForm, signature })).toBe(false);
  });
});
