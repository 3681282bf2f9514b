import { describe, expect, it } from 'vitest';
import { ProviderError, WebhookPayloadError } from '@/lib/providers/errors';
import { InMemorySandboxOutbox, type SandboxOutbox } from './sandbox-outbox';
import {
  SANDBOX_DELIVERY_STATUSES,
  SANDBOX_FROM_NUMBER,
  SANDBOX_STATUS_PATH,
  SandboxMessagingProvider,
  sandboxMessageId,
  type SignedWebhook,
} from './sandbox-messaging-provider';
import { signSandboxPayload, verifySandboxSignature } from './sandbox-signature';

const NOW = new Date('2026-03-03T14:00:00Z');
const SECRET = 'sandbox-secret-for-tests';

function setup(outbox: SandboxOutbox = new InMemorySandboxOutbox(), now = NOW) {
  let clock = now;
  const provider = new SandboxMessagingProvider({ outbox, secret: SECRET, publicUrl: 'http://localhost:3000/', clock: () => clock });
  return { provider, outbox, setClock: (d: Date) => (clock = d) };
}

const message = { to: '+13055550123', body: 'Your appointment is tomorrow at 9:00. Reply STOP to opt out.', effectId: 'run_42:3:0' };

describe('SandboxMessagingProvider.send', () => {
  it('stores the text in the outbox under an id derived from the effect id', async () => {
    const outbox = new InMemorySandboxOutbox();
    const { provider } = setup(outbox);

    const result = await provider.send(message);

    expect(result).toEqual({ providerId: sandboxMessageId('run_42:3:0'), status: 'delivered' });
    expect(result.providerId).toMatch(/^SB[0-9a-f]{32}$/);
    expect(sandboxMessageId('run_42:3:1')).not.toBe(result.providerId);
    expect(outbox.list()).toEqual([
      {
        providerId: result.providerId,
        effectId: 'run_42:3:0',
        to: '+13055550123',
        from: SANDBOX_FROM_NUMBER,
        body: message.body,
        createdAt: NOW,
      },
    ]);
  });

  it('is idempotent per effect id: a second send returns the first result and stores nothing (the outbox records each id once)', async () => {
    const outbox = new InMemorySandboxOutbox();
    const { provider } = setup(outbox);

    const first = await provider.send(message);
    const second = await provider.send({ ...message, body: 'a different body' });

    expect(second).toEqual(first);
    expect(outbox.list().map((m) => m.providerId)).toEqual([first.providerId]);
    expect(outbox.list().map((m) => m.body)).toEqual([message.body]);
  });

  it('stores one message when two sends of one effect race (the outbox is idempotent on the id)', async () => {
    const outbox = new InMemorySandboxOutbox();
    const { provider } = setup(outbox);

    const results = await Promise.all([provider.send(message), provider.send(message)]);

    expect(results[0]).toEqual(results[1]);
    expect(outbox.list()).toHaveLength(1);
  });

  it('finds a sent message by effect id and reports its status; an unsent one is absent', async () => {
    const { provider } = setup();
    const { providerId } = await provider.send(message);

    expect(await provider.findByEffectId('run_42:3:0')).toEqual({ providerId, status: 'delivered' });
    expect(await provider.findByEffectId('run_42:9:0')).toBeUndefined();
    expect(await provider.fetchStatus(providerId)).toEqual({ providerId, status: 'delivered' });
    await expect(provider.fetchStatus(sandboxMessageId('run_42:9:0'))).rejects.toMatchObject({
      kind: 'rejected',
      status: 404,
      retryable: false,
    });
  });

  it('refuses a recipient that is not E.164', async () => {
    const { provider, outbox } = setup();
    await expect(provider.send({ ...message, to: '3055550123' })).rejects.toThrow(ProviderError);
    expect((outbox as InMemorySandboxOutbox).list()).toEqual([]);
  });
});

describe('SandboxMessagingProvider webhooks', () => {
  it('plays an inbound text as a signed webhook that verifies and parses', () => {
    const { provider } = setup();

    const hook = provider.simulateInbound({ from: '+13055550123', body: 'STOP' });

    expect(hook.url).toBe('http://localhost:3000/api/sandbox/inbound');
    expect(provider.verifyWebhook(hook)).toBe(true);
    const inbound = provider.parseInbound(hook.params);
    expect(inbound).toEqual({
      providerId: hook.params.MessageSid,
      from: '+13055550123',
      to: SANDBOX_FROM_NUMBER,
      body: 'STOP',
      receivedAt: NOW,
    });
    expect(inbound.providerId).toMatch(/^SB[0-9a-f]{32}$/);
    // Each inbound text is its own message.
    expect(provider.simulateInbound({ from: '+13055550123', body: 'STOP' }).params.MessageSid).not.toBe(inbound.providerId);
  });

  it('rejects a tampered field, another URL, another secret, a missing signature and a replay after five minutes', () => {
    const { provider, setClock } = setup();
    const hook = provider.simulateInbound({ from: '+13055550123', body: 'YES' });

    expect(provider.verifyWebhook({ ...hook, params: { ...hook.params, Body: 'NO' } })).toBe(false);
    expect(provider.verifyWebhook({ ...hook, params: { ...hook.params, Extra: '1' } })).toBe(false);
    expect(provider.verifyWebhook({ ...hook, url: 'http://localhost:3000/api/webhooks/twilio/inbound' })).toBe(false);
    expect(provider.verifyWebhook({ ...hook, signature: null })).toBe(false);
    expect(provider.verifyWebhook({ ...hook, signature: 'v1=deadbeef' })).toBe(false);
    const other = new SandboxMessagingProvider({
      outbox: new InMemorySandboxOutbox(),
      secret: 'another-secret',
      publicUrl: 'http://localhost:3000',
      clock: () => NOW,
    });
    expect(other.verifyWebhook(hook)).toBe(false);

    setClock(new Date(NOW.getTime() + 300_000));
    expect(provider.verifyWebhook(hook)).toBe(true);
    setClock(new Date(NOW.getTime() + 301_000));
    expect(provider.verifyWebhook(hook)).toBe(false);
  });

  it('plays a status callback carrying the effect id', async () => {
    const { provider } = setup();
    const { providerId } = await provider.send(message);

    const hook = provider.simulateStatus(
      { providerId, status: 'undelivered', errorCode: 30003, effectId: 'run_42:3:0' },
      'http://localhost:3000/api/sandbox/status',
    );

    expect(provider.verifyWebhook(hook)).toBe(true);
    expect(provider.parseStatus(hook.params)).toEqual({ providerId, status: 'undelivered', errorCode: 30003, effectId: 'run_42:3:0' });
  });

  it('rejects malformed forms', () => {
    const { provider } = setup();
    expect(() => provider.parseInbound({ MessageSid: 'SM123', From: '+13055550123', To: '+12025550100', Body: 'hi' })).toThrow(
      WebhookPayloadError,
    );
    expect(() => provider.parseStatus({ MessageSid: sandboxMessageId('x'), MessageStatus: 'lost' })).toThrow(
      'sandbox webhook payload invalid: MessageStatus is not a message status',
    );
  });
});

describe('sandbox signatures', () => {
  it('signs HMAC-SHA256 over the timestamp and the body, as t=…,v1=<64 hex>', () => {
    const header = signSandboxPayload('k', '{"a":1}', NOW);
    // HMAC-SHA256("k", "1772546400.{\"a\":1}"), computed independently with openssl.
    expect(header).toBe('t=1772546400,v1=7e2eaa71c861173e86fcea4acf019101e699167a1215d10e96c6b75e3dd3d5a0');
    expect(verifySandboxSignature('k', '{"a":1}', header, NOW)).toBe(true);
    expect(verifySandboxSignature('k', '{"a":2}', header, NOW)).toBe(false);
    expect(verifySandboxSignature('k', '{"a":1}', header.replace('t=1772546400', 't=1772546401'), NOW)).toBe(false);
  });
});

describe('SandboxMessagingProvider delivery statuses', () => {
  it('reports queued, sent, delivered after the send returned, as signed status callbacks for the status webhook that verify and parse', async () => {
    const posted: SignedWebhook[] = [];
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const provider = new SandboxMessagingProvider({
      outbox: new InMemorySandboxOutbox(),
      secret: SECRET,
      publicUrl: 'http://localhost:3000/',
      clock: () => NOW,
      reportStatus: async (webhook) => {
        posted.push(webhook);
        if (posted.length === 3) finished();
      },
    });
    const { providerId } = await provider.send(message);
    // Nothing is reported before the send's own answer is back.
    expect(posted).toEqual([]);
    await done;
    expect(posted.map((w) => w.url)).toEqual(Array(3).fill(`http://localhost:3000${SANDBOX_STATUS_PATH}`));
    for (const w of posted) expect(provider.verifyWebhook({ url: w.url, params: w.params, signature: w.signature })).toBe(true);
    expect(posted.map((w) => provider.parseStatus(w.params))).toEqual(
      SANDBOX_DELIVERY_STATUSES.map((status) => ({ providerId, status, effectId: message.effectId })),
    );
  });

  it('stops reporting after a report that was not taken (the text keeps the status it reached)', async () => {
    const posted: string[] = [];
    let failed!: () => void;
    const done = new Promise<void>((resolve) => (failed = resolve));
    const provider = new SandboxMessagingProvider({
      outbox: new InMemorySandboxOutbox(),
      secret: SECRET,
      publicUrl: 'http://localhost:3000',
      clock: () => NOW,
      reportStatus: async (webhook) => {
        posted.push(webhook.params.MessageStatus!);
        if (webhook.params.MessageStatus === 'sent') {
          failed();
          throw new Error('the database is down');
        }
      },
    });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      await provider.send(message);
      await done;
      // The series ends with the refused report: give the loop its turn to (not) post another.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      console.error = quiet;
    }
    expect(posted).toEqual(['queued', 'sent']);
  });
});
