import { describe, expect, it } from 'vitest';
import type { RunMessageRow, RunVerificationRow } from '@/lib/db/run-queries';
import { buildTimeline } from './timeline';

const AT = new Date('2026-03-10T15:00:00Z');

const question: RunMessageRow = {
  id: 'm1',
  effectId: 'run:1:0',
  direction: 'outbound',
  purpose: 'informational',
  body: 'Reply with your ZIP code.',
  status: 'sent',
  error: null,
  createdAt: AT,
  sentAt: AT,
  history: [],
};
const check = (v: Partial<RunVerificationRow>): RunVerificationRow => ({
  id: 'v1',
  nodeId: 'verify',
  method: 'zip',
  status: 'pending',
  attemptsLeft: 3,
  at: AT,
  decidedAt: null,
  updatedAt: AT,
  ...v,
});
const parts = { events: [], moves: [], deferrals: [], payments: [] };

describe('buildTimeline', () => {
  it('shows an identity check still waiting after the question it asked, at the same instant', () => {
    const items = buildTimeline({ ...parts, messages: [question], verifications: [check({})] });
    expect(items.map((i) => i.kind)).toEqual(['message', 'verification']);
  });

  it('shows a decided check when it was decided: after the answer, before what the run sent next', () => {
    const answeredAt = new Date(AT.getTime() + 60_000);
    const decidedAt = new Date(AT.getTime() + 61_000);
    const answer: RunMessageRow = {
      ...question,
      id: 'm2',
      effectId: null,
      direction: 'inbound',
      purpose: null,
      body: '[identity answer]',
      status: 'received',
      createdAt: answeredAt,
    };
    const link: RunMessageRow = { ...question, id: 'm3', effectId: 'run:2:0', body: 'Pay here: …', createdAt: decidedAt };
    const items = buildTimeline({
      ...parts,
      messages: [question, answer, link],
      verifications: [check({ status: 'verified', decidedAt })],
    });
    expect(items.map((i) => `${i.kind} ${i.at}`)).toEqual([
      `message ${AT.toISOString()}`,
      `message ${answeredAt.toISOString()}`,
      `verification ${decidedAt.toISOString()}`,
      `message ${decidedAt.toISOString()}`,
    ]);
  });
});
