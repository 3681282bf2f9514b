import type pg from 'pg';
import type { ContactKeys } from '@/lib/db/contact-repository';
import type { OutboundClaim } from '@/lib/db/message-repository';
import type { MessagingProvider } from '@/lib/providers/messaging';
import type { PaymentProvider } from '@/lib/providers/payments';
import type { StepLoop } from '@/lib/runtime/step-loop';
import type { EffectJob } from '@/lib/runtime/tasks';

/** What every effect is performed with: the database, the providers, the clock, and the runs it answers. */
export interface EffectDeps {
  pool: pg.Pool;
  /** The engine's clock: every send-time decision reads it. */
  clock: () => Date;
  keys: ContactKeys;
  messaging: MessagingProvider;
  /** Hosted payment pages; none when payments are not configured. */
  payments: PaymentProvider | undefined;
  /** Base of the links texts carry (`/pay/<token>`), without a trailing slash. */
  publicUrl: string;
  appSecret: string;
  /** The provider a `messages` row names. */
  provider: 'twilio' | 'sandbox';
  /** Where effects' answers go. */
  steps: StepLoop;
  /** Claims a send for this attempt (at most once per effect); false when it was claimed before. */
  claimSend: (claim: OutboundClaim) => Promise<boolean>;
}

/**
 * What a send's `prepare` issues (a one-time code, a payment link) is
 * recorded under the effect id, or under `<effect id>#<try>` when the
 * provider refused the earlier tries (`sendAgainLater`): a retried send
 * issues afresh and the unsent issue is superseded, as a reissue would be
 * (only hashes are kept, so the unsent code or link cannot be sent again).
 */
export function issueOf(job: EffectJob): string {
  return job.retries ? `${job.effect.id}#${job.retries}` : job.effect.id;
}
