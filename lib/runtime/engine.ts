import type { Task, TaskList } from 'graphile-worker';
import type pg from 'pg';
import type { AnyEventObject } from 'xstate';
import { activeVersionRepository } from '@/lib/db/active-version-repository';
import { contactKeys, type ContactKeys } from '@/lib/db/contact-repository';
import { readEffectContexts, type EffectContext } from '@/lib/db/effect-context';
import { GroupCommit } from '@/lib/db/group-commit';
import { addJob } from '@/lib/db/job-queue';
import { messageRepository, type OutboundClaim } from '@/lib/db/message-repository';
import type { Queryable } from '@/lib/db/queryable';
import { runRepository, type InboxKind } from '@/lib/db/run-repository';
import { AppError } from '@/lib/app-error';
import { createFieldCipher } from '@/lib/crypto/field-cipher';
import { DELIVER_WEBHOOKS_TASK } from '@/lib/db/outbound-event-repository';
import type { UrlPolicy } from '@/lib/outbound-events/address-policy';
import { deliverChain, type Resolve } from '@/lib/outbound-webhooks';
import type { MessagingProvider, StatusUpdate } from '@/lib/providers/messaging';
import type { PaymentEvent, PaymentProvider } from '@/lib/providers/payments';
import type { EffectDeps } from './effects/effect-deps';
import { performEffect } from './effects/perform-effect';
import { GUARD_WINDOW_MS } from './effects/send-text';
import { sendSystemText } from './effects/system-text';
import { INBOUND_TEXT_RETENTION_DAYS, InboundTexts, type InboundOutcome } from './inbound';
import { receivePaymentEvent, type PaymentEventOutcome } from './payment-events';
import { performRefund } from './payment-refunds';
import { CampaignEnrolment } from './campaign-enrolment';
import { RunStarts, type StartInput } from './run-starts';
import { StepLoop } from './step-loop';
import { TASKS, type CampaignJob, type EffectJob, type ScheduledStartJob, type SystemTextJob, type TimerJob } from './tasks';
import { VersionCache } from './versions';

export { EngineError } from './engine-error';
export { INBOUND_TEXT_RETENTION_DAYS, type InboundOutcome } from './inbound';
export { TASKS } from './tasks';

/**
 * The durable engine (ARCHITECTURE.md, "Compile, analyze, run"): one run per
 * contact and approved version, its XState snapshot in Postgres, every step
 * committed in one transaction together with the graphile-worker jobs for its
 * effects and timers (a transactional outbox; no queue of our own).
 *
 * This class is the facade the routes and workers call: starts
 * (run-starts.ts), inbound texts (inbound.ts), the step loop (step-loop.ts),
 * effects (effects/), payment events (payment-events.ts). Effects: sends
 * (with the send-time guard), consent checks and grants, time windows,
 * timers, identity checks, payment links; replies with STOP, HELP and START
 * come first.
 */

export interface EngineOptions {
  pool: pg.Pool;
  messaging: MessagingProvider;
  appSecret: string;
  /** The engine's clock: every send-time decision reads it; tests move it. */
  clock: () => Date;
  /** Hosted payment pages (Stripe, or the sandbox's test page). */
  payments?: PaymentProvider;
  /** Base of the links texts carry (`/pay/<token>`), without a trailing slash. */
  publicUrl?: string;
  /** Where outbound webhooks may go (default: https only, no private address) and how names resolve (default: DNS). */
  outboundWebhooks?: { policy: UrlPolicy; resolve?: Resolve; timeoutMs?: number };
  /** Contacts a campaign enrolment job enrols (default `ENROL_BATCH`). */
  enrolBatch?: number;
}

export class FlowEngine {
  private readonly keys: ContactKeys;
  private readonly steps: StepLoop;
  private readonly starts: RunStarts;
  private readonly inbound: InboundTexts;
  private readonly campaigns: CampaignEnrolment;
  private readonly effects: EffectDeps;
  private readonly publicUrl: string;

  constructor(private readonly options: EngineOptions) {
    const { pool, clock, appSecret, messaging } = options;
    this.keys = contactKeys(appSecret);
    this.publicUrl = options.publicUrl ?? 'http://localhost:3000';
    const versions = new VersionCache();
    const provider = messaging.name === 'twilio' ? 'twilio' : 'sandbox';
    const base = { pool, clock, keys: this.keys, versions };
    this.steps = new StepLoop(base);
    this.starts = new RunStarts(base);
    this.campaigns = new CampaignEnrolment({
      pool,
      clock,
      starts: this.starts,
      ...(options.enrolBatch !== undefined ? { batch: options.enrolBatch } : {}),
    });
    this.inbound = new InboundTexts({
      ...base,
      appSecret,
      provider,
      steps: this.steps,
      startRun: (input, tx) => this.starts.start(input, tx),
    });
    this.effects = {
      pool,
      clock,
      appSecret,
      messaging,
      provider,
      keys: this.keys,
      payments: options.payments,
      publicUrl: this.publicUrl,
      steps: this.steps,
      claimSend: (claim) => this.claims.add(claim),
    };
  }

  /**
   * Starts a run of an active version for a contact; refuses other versions.
   * Starts asked for at the same moment share their reads and one
   * transaction (`GroupCommit`): a burst of starts (an API client, a
   * campaign) costs a few round trips each, not eight and a commit. With
   * `inTx`, the run starts inside the caller's transaction.
   */
  startRun(input: StartInput, inTx?: pg.PoolClient): Promise<{ runId: string }> {
    return this.starts.start(input, inTx);
  }

  /**
   * Enrols a contact in a flow whose trigger is a schedule: the run starts at
   * the trigger's time on the local date `on` (default: the next such time)
   * in the contact's zone, on the version active then. Once per contact,
   * flow and date.
   */
  scheduleRun(input: {
    flowId: string;
    contactId: string;
    vars?: Record<string, unknown>;
    on?: string;
  }): Promise<{ on: string; at: Date }> {
    return this.starts.schedule(input);
  }

  /** Puts an event for a run in its inbox (once per idempotency key) and wakes the run. */
  async deliverEvent(db: Queryable, runId: string, event: AnyEventObject, key: string, kind: InboxKind = 'api'): Promise<boolean> {
    const added = await runRepository(db).addInboxEvent({ key, kind, runId, event });
    if (added) await addJob(db, TASKS.advance, { runId });
    return added;
  }

  /** An inbound text: STOP, HELP and START first (COMPLIANCE.md, "Replies"); anything else goes to the contact's waiting run. */
  async receiveInbound(msg: { providerId: string; from: string; body: string }): Promise<{ outcome: InboundOutcome }> {
    if (!(await this.acceptInbound(msg))) return { outcome: 'duplicate' };
    return { outcome: (await this.processInbound(msg.providerId)) ?? 'duplicate' };
  }

  /**
   * The webhook's whole work: the text stored in the inbox under its provider
   * id and its job enqueued, in one statement (one round trip, one commit),
   * shared with the texts that arrived meanwhile (`GroupCommit`: a burst of
   * webhooks costs a few commits). False for a replay (the id was stored
   * before): nothing changes, and no job is added (the inbox's unique id is
   * the dedupe, so the job needs no job key: a keyed add_job costs a look-up
   * and an update more). STOP is honoured from here on: the send-time guard
   * reads unprocessed texts.
   */
  acceptInbound(msg: { providerId: string; from: string; body: string }): Promise<boolean> {
    return this.inbound.accept(msg);
  }

  /**
   * Deletes the inbound texts received more than `INBOUND_TEXT_RETENTION_DAYS`
   * before the engine's clock and processed since (a daily job,
   * `TASKS.pruneInbound`); an unprocessed text is kept whatever its age.
   * Returns how many went.
   */
  pruneInboundTexts(): Promise<number> {
    return this.inbound.prune();
  }

  /**
   * Classifies a stored inbound text and acts on it (COMPLIANCE.md,
   * "Replies"): STOP, HELP and START first; anything else goes to the
   * contact's waiting run, each text once, a number's texts in the order
   * they came. Undefined for an id never stored.
   */
  processInbound(providerId: string): Promise<InboundOutcome | undefined> {
    return this.inbound.process(providerId);
  }

  /**
   * A delivery-status callback: recorded on the message it is about. A
   * replayed or out-of-order callback changes nothing (`duplicate`). Callbacks
   * of the same moment are recorded together, in one transaction.
   */
  async receiveStatus(update: StatusUpdate): Promise<{ outcome: 'updated' | 'duplicate' }> {
    if (update.status === 'queued') return { outcome: 'duplicate' }; // nothing learnt: the text is on its way
    return { outcome: (await this.statuses.add(update)) ? 'updated' : 'duplicate' };
  }

  /**
   * A payment provider's event (webhook, or the sandbox's test page), once per
   * event id: settles its link and answers the run (payment-events.ts).
   */
  receivePaymentEvent(event: PaymentEvent): Promise<{ outcome: PaymentEventOutcome }> {
    const { pool, clock } = this.options;
    return receivePaymentEvent(
      { pool, clock, publicUrl: this.publicUrl, deliverEvent: (tx, ...rest) => this.deliverEvent(tx, ...rest) },
      event,
    );
  }

  /** The graphile-worker tasks of the engine. */
  taskList(): TaskList {
    const { pool, payments, clock } = this.options;
    const advance: Task = async (payload) => this.steps.advance((payload as { runId: string }).runId);
    const effect: Task = async (payload) => this.perform(payload as EffectJob);
    const timer: Task = async (payload) => {
      const p = payload as TimerJob;
      await this.steps.deliver(p.runId, p.event, `${p.runId}:timer:${p.key}:${p.step}`, 'timer');
    };
    const systemText: Task = async (payload) => sendSystemText(this.effects, payload as SystemTextJob);
    const scheduled: Task = async (payload, helpers) => {
      const p = payload as ScheduledStartJob;
      const active = await activeVersionRepository(pool).ofFlow(p.flowId);
      // Paused or replaced by a flow that no longer starts on a schedule since: nothing to start.
      if (!active) return helpers.logger.info(`scheduled run of flow ${p.flowId} not started: it has no active version`);
      try {
        await this.startRun({ flowVersionId: active.id, contactId: p.contactId, vars: p.vars });
      } catch (err) {
        // Its approval no longer holds: retrying will not help until it is reviewed again.
        if (err instanceof AppError && err.code === 'conflict')
          return helpers.logger.warn(`scheduled run of flow ${p.flowId} not started: ${err.message}`);
        throw err;
      }
    };
    const refund: Task = async (payload) => performRefund({ pool, payments, clock }, (payload as { refundId: string }).refundId);
    const inbound: Task = async (payload) => {
      await this.processInbound((payload as { providerId: string }).providerId);
    };
    const pruneInbound: Task = async (_payload, helpers) => {
      const pruned = await this.pruneInboundTexts();
      if (pruned) helpers.logger.info(`deleted ${pruned} inbound texts processed and older than ${INBOUND_TEXT_RETENTION_DAYS} days`);
    };
    const webhooks = this.options.outboundWebhooks;
    const deliverWebhooks: Task = async (payload) =>
      deliverChain(
        {
          pool,
          clock,
          cipher: createFieldCipher(this.options.appSecret),
          policy: webhooks?.policy ?? { requireHttps: true, allowPrivate: false },
          ...(webhooks?.resolve ? { resolve: webhooks.resolve } : {}),
          ...(webhooks?.timeoutMs ? { timeoutMs: webhooks.timeoutMs } : {}),
        },
        payload as { endpointId: string; orderKey: string },
      );
    const campaignEnrol: Task = async (payload) => this.campaigns.enrolBatch(payload as CampaignJob);
    const campaignStart: Task = async (payload) => this.campaigns.startDue(payload as CampaignJob);
    return {
      [DELIVER_WEBHOOKS_TASK]: deliverWebhooks,
      [TASKS.campaignEnrol]: campaignEnrol,
      [TASKS.campaignStart]: campaignStart,
      [TASKS.pruneInbound]: pruneInbound,
      [TASKS.inbound]: inbound,
      [TASKS.advance]: advance,
      [TASKS.effect]: effect,
      [TASKS.timer]: timer,
      [TASKS.systemText]: systemText,
      [TASKS.scheduledStart]: scheduled,
      [TASKS.refund]: refund,
    };
  }

  /**
   * Effects that fall due together read their runs, contacts and the guard's
   * readings in one statement (`readEffectContexts`); a lone effect reads at once.
   */
  private readonly effectContexts = new GroupCommit<{ runId: string; since: Date }, EffectContext | undefined>((asks) =>
    readEffectContexts(this.options.pool, this.keys, asks),
  );

  /** Sends that fall due together are claimed in one statement (`claimSends`): each still at most once. */
  private readonly claims = new GroupCommit<OutboundClaim, boolean>((claims) => messageRepository(this.options.pool).claimSends(claims));

  /**
   * Delivery-status callbacks of the same moment, recorded in one transaction
   * with their outbound webhook events (a sent campaign's callbacks come in
   * thousands a second: one commit each would cost more than the sends).
   */
  private readonly statuses = new GroupCommit<StatusUpdate, boolean>((updates) =>
    messageRepository(this.options.pool).updateDeliveryStatuses(
      updates.map((u) => ({
        providerSid: u.providerId,
        status: u.status,
        ...(u.effectId ? { effectId: u.effectId } : {}),
        ...(u.errorCode !== undefined ? { errorCode: u.errorCode } : {}),
      })),
    ),
  );

  private async perform(job: EffectJob): Promise<void> {
    // Read right before the effect: a send's guard decides on the ledger of this moment.
    const context = await this.effectContexts.add({ runId: job.runId, since: new Date(this.options.clock().getTime() - GUARD_WINDOW_MS) });
    if (!context || context.run.status !== 'active') return; // ended (STOP, end): nothing more is done for it
    await performEffect(this.effects, job, context);
  }
}
