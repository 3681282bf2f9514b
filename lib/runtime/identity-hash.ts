import { createHmac } from 'node:crypto';
import { deriveKey } from '@/lib/crypto/keys';
import type { IdentityMethod } from '@/lib/flow/machine-events';
import { normalizeIdentityAnswer } from './interpret/identity-answer';

/**
 * The keyed hash an answer is stored and compared as: neither a one-time code
 * nor a ZIP or date of birth is kept readable, and the key (from APP_SECRET)
 * stops anyone holding the table from trying every code offline.
 */
export function createAnswerHasher(appSecret: string): (runId: string, method: IdentityMethod, answer: string) => string {
  const key = deriveKey(appSecret, 'identity-answer-v1');
  return (runId, method, answer) =>
    createHmac('sha256', key)
      .update(`${runId}\u0000${method}\u0000${normalizeIdentityAnswer(answer, method)}`)
      .digest('hex');
}
