import { describe, expect, it } from 'vitest';
import { checkAnswer, clarificationText, DEFAULT_KEYWORD_TEXTS, keywordAnswer, routeReply, type ReplyFacts } from './replies';

const waiting: ReplyFacts = { consent: 'granted', run: 'waiting', flowTakesIt: false };

describe('routing a reply', () => {
  it('honours STOP and HELP first, whatever the run waits for', () => {
    expect(routeReply('STOP', { ...waiting, run: 'verifying' })).toEqual({ to: 'stop' });
    expect(routeReply('help', { ...waiting, flowTakesIt: true })).toEqual({ to: 'help' });
  });

  it('takes START as a re-grant only after a STOP', () => {
    expect(routeReply('START', { ...waiting, consent: 'revoked' })).toEqual({ to: 'start' });
    expect(routeReply('START', { ...waiting, run: 'none' })).toEqual({ to: 'no-run', clarify: false });
  });

  it('asks once about a reply that may be a revocation, unless the flow takes it as its answer', () => {
    const maybe = 'can I cancel the order and pay later?';
    expect(routeReply(maybe, { ...waiting, run: 'none' })).toEqual({ to: 'no-run', clarify: true });
    expect(routeReply(maybe, waiting)).toEqual({ to: 'flow', clarify: true });
    expect(routeReply(maybe, { ...waiting, flowTakesIt: true })).toEqual({ to: 'flow', clarify: false });
    expect(routeReply('see you at 3', waiting)).toEqual({ to: 'flow', clarify: false });
  });

  it('hands identity answers to the check', () => {
    expect(routeReply('60601', { ...waiting, run: 'verifying' })).toEqual({ to: 'identity' });
  });
});

describe('keyword answers', () => {
  it('name the business, once', () => {
    const texts = { ...DEFAULT_KEYWORD_TEXTS, brand: 'Acme Dental' };
    expect(keywordAnswer('stop', texts)).toBe(
      'Acme Dental: You are unsubscribed and will receive no more messages. Reply START to resubscribe.',
    );
    expect(keywordAnswer('help', { ...texts, helpText: 'Acme Dental: call 555-0100. Reply STOP to opt out.' })).toBe(
      'Acme Dental: call 555-0100. Reply STOP to opt out.',
    );
    expect(clarificationText(texts)).toBe('Reply STOP to stop all texts from Acme Dental.');
  });
});

describe('an answer to an identity check', () => {
  const check = { nodeId: 'verify', attemptsLeft: 2, expiresAt: new Date('2026-03-10T15:10:00Z') };
  const at = new Date('2026-03-10T15:05:00Z');

  it('verifies, asks again, or fails when the attempts are spent or the code expired', () => {
    expect(checkAnswer(check, true, at)).toEqual({ event: { type: 'identity.verified', nodeId: 'verify' } });
    expect(checkAnswer(check, false, at)).toEqual({
      retry: { attemptsLeft: 1, text: "That doesn't match our records. Please try again (1 attempt left)." },
    });
    expect(checkAnswer({ ...check, attemptsLeft: 1 }, false, at)).toEqual({
      event: { type: 'identity.failed', nodeId: 'verify', reason: 'too many wrong answers' },
      attemptsLeft: 0,
    });
    expect(checkAnswer(check, true, new Date('2026-03-10T15:11:00Z'))).toEqual({
      event: { type: 'identity.failed', nodeId: 'verify', reason: 'the one-time code expired (a code lasts 10 minutes)' },
    });
  });
});
