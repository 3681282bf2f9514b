import { describe, expect, it } from 'vitest';
import { WebhookPayloadError, WebhookSignatureError } from '@/lib/providers/errors';
import { hashPaymentToken, isPaymentToken } from '@/lib/providers/payment-token';
import type { PaymentLinkRequest } from '@/lib/providers/payments';
import { SandboxPaymentProvider, sandboxPaymentId } from './sandbox-payment-provider';
import { signSandboxPayload } from './sandbox-signature';

const NOW = new Date('2026-03-03T14:00:00Z');
const SECRET = 'sandbox-secret-for-tests';

const provider = new SandboxPaymentProvider({ secret: SECRET, publicUrl: 'http://localhost:3000/', clock: () => NOW });

const linkRequest: PaymentLinkRequest = {
  effectId: 'run_42:7:0',
  runId: 'run_42',
  amountMinor: 12550,
  currency: 'USD',
  description: 'Invoice 1042',
  successUrl: 'http://localhost:3000/pay/done',
  cancelUrl: 'http://localhost:3000/pay/cancel',
  expiresAt: new Date('2026-03-06T14:00:00Z'),
};

const subject = {
  providerId: sandboxPaymentId('run_42:7:0'),
  runId: 'run_42',
  effectId: 'run_42:7:0',
  amountMinor: 12550,
  currency: 'USD',
};

describe('SandboxPaymentProvider.createPaymentLink', () => {
  it('returns a /pay/<token> link on the public URL whose token carries 256 random bits', async () => {
    const link = await provider.createPaymentLink(linkRequest);

    expect(link.providerId).toBe(sandboxPaymentId('run_42:7:0'));
    expect(link.providerId).toMatch(/^sbpay_[0-9a-f]{24}$/);
    expect(link.expiresAt).toEqual(new Date('2026-03-06T14:00:00Z'));
    expect(link.url).toBe(`http://localhost:3000/pay/${link.token}`);
    expect(isPaymentToken(link.token!)).toBe(true);
    expect(Buffer.from(link.token!, 'base64url')).toHaveLength(32);
  });

  it('returns the same link for the same effect and unrelated tokens for different effects', async () => {
    const first = await provider.createPaymentLink(linkRequest);
    expect(await provider.createPaymentLink(linkRequest)).toEqual(first);

    const tokens = new Set<string>();
    for (let i = 0; i < 200; i++) tokens.add((await provider.createPaymentLink({ ...linkRequest, effectId: `run_42:7:${i + 1}` })).token!);
    expect(tokens.size).toBe(200);
    // Base64url of random bytes: every position varies across 200 tokens.
    const firstChars = new Set([...tokens].map((t) => t[0]));
    expect(firstChars.size).toBeGreaterThan(20);
  });

  it('hashes tokens with SHA-256 for storage', () => {
    expect(hashPaymentToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(isPaymentToken('too-short')).toBe(false);
    expect(isPaymentToken('a'.repeat(42) + '/')).toBe(false);
  });
});

describe('SandboxPaymentProvider events', () => {
  it('completes a payment with a signed event that parseEvent verifies and maps to paid', async () => {
    const { rawBody, signature } = provider.completeSandboxPayment(subject);

    expect(await provider.parseEvent(rawBody, signature, NOW)).toEqual({
      type: 'paid',
      eventId: expect.stringMatching(/^sbevt_[0-9a-f]{24}$/),
      providerId: subject.providerId,
      runId: 'run_42',
      effectId: 'run_42:7:0',
      amountMinor: 12550,
      currency: 'usd',
      cardChecks: { postalCode: 'pass', cvc: 'pass' },
    });
  });

  it('gives a double-submitted payment the same event id, so the inbox keeps one', async () => {
    const a = await provider.parseEvent(...signedPair(provider.completeSandboxPayment(subject)), NOW);
    const b = await provider.parseEvent(...signedPair(provider.completeSandboxPayment(subject)), NOW);
    const failed = await provider.parseEvent(...signedPair(provider.failSandboxPayment(subject)), NOW);
    expect(a.eventId).toBe(b.eventId);
    expect(failed.eventId).not.toBe(a.eventId);
  });

  it('takes the failed path when the page reports a failed postal code check', async () => {
    const event = await provider.parseEvent(
      ...signedPair(provider.completeSandboxPayment(subject, { postalCode: 'fail', cvc: 'unchecked' })),
      NOW,
    );
    expect(event).toMatchObject({
      type: 'failed',
      reason: 'postal code check failed',
      final: true,
      captured: true,
      cardChecks: { postalCode: 'fail', cvc: 'unchecked' },
    });
  });

  it('maps a failed and an expired page', async () => {
    await expect(provider.parseEvent(...signedPair(provider.failSandboxPayment(subject, 'card declined')), NOW)).resolves.toMatchObject({
      type: 'failed',
      reason: 'card declined',
      final: true,
      captured: false,
    });
    await expect(provider.parseEvent(...signedPair(provider.expireSandboxPayment(subject)), NOW)).resolves.toMatchObject({
      type: 'expired',
      final: true,
    });
  });

  it('rejects a tampered body, a foreign secret, a missing signature and a stale one', async () => {
    const { rawBody, signature } = provider.completeSandboxPayment(subject);

    await expect(provider.parseEvent(rawBody.replace('12550', '1'), signature, NOW)).rejects.toThrow(WebhookSignatureError);
    const other = new SandboxPaymentProvider({ secret: 'another-secret', publicUrl: 'http://localhost:3000', clock: () => NOW });
    await expect(other.parseEvent(rawBody, signature, NOW)).rejects.toThrow(WebhookSignatureError);
    await expect(provider.parseEvent(rawBody, null, NOW)).rejects.toThrow('sandbox webhook signature rejected: no signature header');
    await expect(provider.parseEvent(rawBody, signature, new Date(NOW.getTime() + 301_000))).rejects.toThrow(WebhookSignatureError);
  });

  it('rejects a correctly signed body that is not a sandbox event', async () => {
    const body = JSON.stringify({ id: 'sbevt_x', data: {} });
    await expect(provider.parseEvent(body, signSandboxPayload(SECRET, body, NOW), NOW)).rejects.toThrow(WebhookPayloadError);
  });
});

function signedPair(e: { rawBody: string; signature: string }): [string, string] {
  return [e.rawBody, e.signature];
}

describe('SandboxPaymentProvider.refundPayment', () => {
  it('gives one refund id per key and refuses a page it did not make', async () => {
    const first = await provider.refundPayment({
      providerId: subject.providerId,
      idempotencyKey: 'refund:a',
      reason: 'postal code check failed',
    });
    expect(first.refundId).toMatch(/^sbref_[0-9a-f]{24}$/);
    expect(await provider.refundPayment({ providerId: subject.providerId, idempotencyKey: 'refund:a', reason: 'again' })).toEqual(first);
    await expect(provider.refundPayment({ providerId: 'cs_test_1', idempotencyKey: 'refund:b', reason: 'r' })).rejects.toMatchObject({
      kind: 'rejected',
    });
  });
});
