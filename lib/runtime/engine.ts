import { randomInt, randomUUID } from 'node:crypto';
import { brandError, hasErrorBrand } from '../error-brand';
import type pg from 'pg';
import type { Task, TaskList } from 'graphile-worker';
import type { AnyEventObject } from 'xstate';
import { classifyReply } from '../compliance/classify-reply';
import { evaluateSend } from '../compliance/evaluate-send';
import { consentCovers, type ConsentLevel, type ContactLocation, type Purpose } from '../compliance/types';
import { resolveZones } from '../compliance/zones';
import { createFlowMachine, type FlowMachine } from '../flow/compile';
import { nodeIdOfState, type FlowContext, type RequestPaymentParams, type SendSmsParams, type StartVerificationParams } from '../flow/machine-events';
import { parseDuration } from '../flow/duration';
import { parseFlow } from '../flow/parse';
import { MAX_PAYMENT_AMOUNT, type FlowDocument } from '../flow/schema';
import { checkTemplate, renderTemplate } from '../flow/templates';
import { consentLevelOf, consentRepository } from '../db/consent-repository';
import { contactKeys, contactRepository, type Contact, type ContactKeys } from '../db/contact-repository';
import { readEffectContexts, readGuard, type EffectContext, type GuardRows } from '../db/effect-context';
import { messageRepository, type OutboundClaim, type SentRecord } from '../db/message-repository';
import { flowRepository } from '../db/flow-repository';
import { GroupCommit, storedByFirst } from '../db/group-commit';
import { StepWrites } from '../db/step-writes';
import { UUID } from '../db/uuid';
import { withTransaction, type Queryable } from '../db/queryable';
import { reviewRepository } from '../db/review-repository';
import { runRepository, type InboxEvent, type InboxKind, type RunRow } from '../db/run-repository';
import { runStepRepository } from '../db/run-step-repository';
import { AppError } from '../http/app-error';
import { ProviderError } from '../providers/errors';
import type { MessagingProvider, StatusUpdate } from '../providers/messaging';
import { chargeAmount, fromMinorUnits } from '../providers/money';
import { hashPaymentToken, newPaymentToken } from '../providers/payment-token';
import type { PaymentEvent, PaymentProvider } from '../providers/payments';
import { approvalVerdict, type GateVerdict } from './approval-gate';
import { IDENTITY_ANSWER_MASK } from './identity-answer';
import { createAnswerHasher } from './identity-hash';
import { performRefund, recordRefundDue, tookMoney } from './payment-refunds';
import { startRun, stepRun, withContact, withoutContact, type StepResult, type StoredSnapshot } from './step';
import { nextScheduledDate, scheduledStart } from './schedule';
import { nextWindowOpening } from './wait-window';

/**
 * The durable engine (ARCHITECTURE.md, "Compile, analyze, run"): one run per
 * contact and approved version, its XState snapshot in Postgres, every step
 * committed in one transaction together with the graphile-worker jobs for its
 * effects and timers (a transactional outbox; no queue of our own).
 *
 * Effects: sends (with the send-time guard), consent checks and grants, time
 * windows, timers, identity checks, payment links; replies with STOP, HELP
 * and START come first.
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
}

/** The operator's settings the runtime reads at the moment it needs them (brand, keyword replies, state pause). */
interface RuntimeSettings {
  brand: string;
  helpText: string;
  stopConfirmation: string;
  startConfirmation: string;
  pausedStates: string[];
}

/** A refusal the caller can act on (an API maps it to a 4xx). */
export class EngineError extends Error {
  constructor(
    readonly code: 'version-not-active' | 'not-found' | 'unsupported-node' | 'invalid-schedule',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
    brandError(this, 'EngineError');
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasErrorBrand(value, 'EngineError');
  }
}

interface Loaded {
  flow: FlowDocument;
  machine: FlowMachine;
  /** Whether a step reads the contact (`machineReadsContact`): only then is the contact record read to step a run. */
  readsContact: boolean;
}

/** Jobs this engine runs on graphile-worker. */
export const TASKS = {
  advance: 'optline_advance_run',
  effect: 'optline_perform_effect',
  timer: 'optline_fire_timer',
  systemText: 'optline_send_system_text',
  scheduledStart: 'optline_start_scheduled_run',
  refund: 'optline_refund_payment',
  inbound: 'optline_receive_inbound',
  pruneInbound: 'optline_prune_inbound_texts',
} as const;

/**
 * How long an inbound text stays in the webhook's inbox after it was
 * received and processed (`pruneInboundTexts`): long past any provider's
 * webhook retries, so a replay is still recognised. A contact's texts stay
 * in `messages`; a text from a number that is no contact is gone after it.
 */
export const INBOUND_TEXT_RETENTION_DAYS = 30;

/** What became of an inbound text. */
export type InboundOutcome = 'duplicate' | 'unknown-contact' | 'stop' | 'help' | 'start' | 'reply' | 'started' | 'no-run';

interface StartInput {
  flowVersionId: string;
  contactId: string;
  vars?: Record<string, unknown>;
}

type StartOutcome = { runId: string } | { error: unknown };

/**
 * Contacts' consent as a transaction sees it, read once per contact: those
 * named up front in one statement, any other when first asked for.
 */
class ConsentReads {
  private readonly known: Promise<Map<string, ConsentLevel>>;

  constructor(private readonly tx: Queryable, prefetch: readonly string[] = []) {
    this.known = prefetch.length ? consentRepository(tx).currentConsentOf(prefetch) : Promise.resolve(new Map());
    // A failed read fails the transaction's next statement anyway; it surfaces where it is asked for.
    this.known.catch(() => undefined);
  }

  /** Once the prefetch has answered (or failed: the failure surfaces where a level is asked for). */
  async ready(): Promise<void> {
    await this.known.catch(() => undefined);
  }

  async of(contactId: string): Promise<ConsentLevel> {
    const known = await this.known;
    let level = known.get(contactId);
    if (level === undefined) {
      level = await consentRepository(this.tx).currentConsent(contactId);
      known.set(contactId, level);
    }
    return level;
  }
}

/** An event for a run's inbox under its idempotency key, or (no event) a nudge to apply what its inbox holds. */
interface Delivery {
  runId: string;
  event?: { event: AnyEventObject; key: string; kind: InboxKind };
  /** A send's record, committed with its answer: the batch's records go in one statement, first in its transaction. */
  sent?: SentRecord;
}

/** An inbox row of `inbound_texts` (the webhook stored it; its job classifies it). */
interface InboundText {
  id: string;
  provider_sid: string;
  phone_hash: string;
  body: string;
  received_at: Date;
}

/**
 * Enqueues a job in the caller's transaction. A later job is scheduled by
 * its delay from the database's own `now()`, so the queue and the engine's
 * clock may differ (the engine's clock decides what is allowed; the queue
 * only measures waiting).
 */
async function addJob(db: Queryable, task: string, payload: object, opts: { delayMs?: number; key?: string } = {}): Promise<void> {
  await db.query(
    `select graphile_worker.add_job($1, $2::json, run_at => now() + make_interval(secs => $3::double precision / 1000),
       job_key => $4, job_key_mode => $5, max_attempts => 10)`,
    [task, JSON.stringify(payload), Math.max(0, opts.delayMs ?? 0), opts.key ?? null, opts.key ? 'replace' : null],
  );
}

export class FlowEngine {
  private readonly machines = new Map<string, Promise<Loaded>>();
  private readonly verdicts = new Map<string, Promise<GateVerdict>>();
  private readonly keys: ContactKeys;

  constructor(private readonly options: EngineOptions) {
    this.keys = contactKeys(options.appSecret);
  }

  /**
   * Starts a run of an active version for a contact; refuses other versions.
   * Starts asked for at the same moment share their reads and one
   * transaction (`GroupCommit`): a burst of starts (an API client, a
   * campaign) costs a few round trips each, not eight and a commit. With
   * `inTx`, the run starts inside the caller's transaction.
   */
  async startRun(input: StartInput, inTx?: pg.PoolClient): Promise<{ runId: string }> {
    const outcome = inTx ? (await this.startRunsIn(inTx, [input], 'transaction'))[0]! : await this.starts.add(input);
    if ('error' in outcome) throw outcome.error;
    return outcome;
  }

  private readonly starts = new GroupCommit<StartInput, StartOutcome>(
    (inputs) => this.startRunsIn(this.options.pool, inputs, 'pool'),
    { maxBatch: 200 },
  );

  /**
   * Starts runs, each refused alone (no such version or contact, a version
   * not active or not approved). Reads first (versions, contacts and their
   * consent), then one statement writes every run with the steps it took and
   * the jobs it added, so the starts are atomic without a transaction of
   * their own. `db` is the pool (the batched starts: the reads go in
   * parallel) or a caller's transaction, whose own connection does every
   * read: a job never holds one connection while it waits for another, so
   * no number of jobs can exhaust the pool.
   */
  private async startRunsIn(db: Queryable, inputs: readonly StartInput[], on: 'pool' | 'transaction'): Promise<StartOutcome[]> {
    // On one connection (a caller's transaction) one query at a time: pg queues a second only with a deprecation warning, and pg 9 refuses it.
    const oneAtATime = on === 'transaction';
    // Each version once: active, approved as it stands, compiled.
    const versions = new Map<string, Promise<FlowMachine>>();
    for (const id of new Set(inputs.map((i) => i.flowVersionId))) {
      const checked = (async () => {
        const stored = await flowRepository(db).versionFingerprint(id);
        if (!stored) throw new EngineError('not-found', `there is no flow version ${id}`);
        if (stored.status !== 'active') throw new EngineError('version-not-active', `version ${id} is ${stored.status}: only an active version can start runs`);
        await this.assertApproved(id, stored.fingerprint, db);
        return (await this.load(id, db)).machine;
      })();
      checked.catch(() => undefined);
      versions.set(id, checked);
      if (oneAtATime) await checked.catch(() => undefined);
    }
    // Most flows open with a consent check, answered before the write: every contact's consent in one read.
    const consent = new ConsentReads(db, [...new Set(inputs.map((i) => i.contactId).filter((id) => UUID.test(id)))]);
    if (oneAtATime) await consent.ready();
    const contacts = await this.contacts(db).getContacts(inputs.map((i) => i.contactId));
    const outcomes: StartOutcome[] = [];
    const starts: { runId: string; input: StartInput; machine: FlowMachine; result: StepResult; vars: Record<string, unknown> }[] = [];
    for (const input of inputs) {
      try {
        const machine = await versions.get(input.flowVersionId)!;
        const contact = contacts.get(input.contactId);
        if (!contact) throw new EngineError('not-found', `there is no contact ${input.contactId}`);
        const runId = randomUUID();
        const vars = input.vars ?? {};
        starts.push({ runId, input, machine, vars, result: startRun(machine, runId, { vars, contact: contactScope(contact) }) });
        outcomes.push({ runId });
      } catch (error) {
        outcomes.push({ error });
      }
    }
    if (starts.length === 0) return outcomes;
    const writes = new StepWrites();
    for (const s of starts) {
      writes.runStarted({ id: s.runId, flowVersionId: s.input.flowVersionId, contactId: s.input.contactId, vars: s.vars });
      const reached = await this.commitStep(writes, consent, s.runId, s.input.contactId, s.machine, s.result, 0);
      writes.runReached(s.runId, withoutContact(reached.snapshot), runStatusOf(reached.snapshot), reached.version);
    }
    await writes.flush(db);
    return outcomes;
  }

  /**
   * Enrols a contact in a flow whose trigger is a schedule: the run starts at
   * the trigger's time on the local date `on` (default: the next such time)
   * in the contact's zone, on the version active then. Once per contact,
   * flow and date.
   */
  async scheduleRun(input: { flowId: string; contactId: string; vars?: Record<string, unknown>; on?: string }): Promise<{ on: string; at: Date }> {
    const { pool, clock } = this.options;
    const { rows } = await pool.query(`select id, content, md5(content::text) as fingerprint from flow_versions where flow_id = $1 and status = 'active'`, [input.flowId]);
    if (!rows[0]) throw new EngineError('version-not-active', `flow "${input.flowId}" has no active version`);
    await this.assertApproved(rows[0].id as string, rows[0].fingerprint as string);
    const trigger = (rows[0].content as FlowDocument).nodes.find((n) => n.type === 'trigger');
    if (trigger?.type !== 'trigger' || trigger.data.kind !== 'schedule') throw new EngineError('invalid-schedule', `flow "${input.flowId}" does not start on a schedule: start its runs at once`);
    const contact = await this.contacts(pool).getContact(input.contactId);
    if (!contact) throw new EngineError('not-found', `there is no contact ${input.contactId}`);
    const zones = resolveZones(locationOf(contact));
    const now = clock();
    const on = input.on ?? nextScheduledDate(trigger.data, now, zones);
    const at = scheduledStart(trigger.data, on, zones);
    if (typeof at === 'string') throw new EngineError('invalid-schedule', at);
    if (at.getTime() <= now.getTime()) throw new EngineError('invalid-schedule', `${trigger.data.at} on ${on} in the contact's time zone has passed`);
    const payload = { flowId: input.flowId, contactId: contact.id, vars: input.vars ?? {} };
    await addJob(pool, TASKS.scheduledStart, payload, { key: `schedule:${input.flowId}:${contact.id}:${on}`, delayMs: at.getTime() - now.getTime() });
    return { on, at };
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
    return this.inbox.add({ providerId: msg.providerId, phoneHash: this.keys.hashPhone(msg.from), body: msg.body, at: this.options.clock() });
  }

  private readonly inbox = new GroupCommit<{ providerId: string; phoneHash: string; body: string; at: Date }, boolean>(async (texts) => {
    const { rows } = await this.options.pool.query<{ provider_sid: string }>({
      // Prepared once per connection: the hot path skips parsing and planning.
      name: 'optline_accept_inbound',
      text: `with text as (
         insert into inbound_texts (provider_sid, provider, phone_hash, body, received_at)
         select sid, $5, hash, body, at from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) with ordinality as t(sid, hash, body, at, n) order by n
         on conflict (provider_sid) do nothing returning provider_sid),
       jobs as (
         select graphile_worker.add_jobs(array_agg(row($6::text, json_build_object('providerId', provider_sid), null::text, null::timestamptz, 10::smallint, null::text, null::smallint, null::text[])::graphile_worker.job_spec))
         from text having count(*) > 0)
       select provider_sid, (select count(*) from jobs) as jobs from text`,
      values: [texts.map((t) => t.providerId), texts.map((t) => t.phoneHash), texts.map((t) => t.body), texts.map((t) => t.at), this.provider(), TASKS.inbound],
    });
    return storedByFirst(texts.map((t) => t.providerId), new Set(rows.map((r) => r.provider_sid)));
  });

  /**
   * Deletes the inbound texts received more than `INBOUND_TEXT_RETENTION_DAYS`
   * before the engine's clock and processed since (a daily job,
   * `TASKS.pruneInbound`); an unprocessed text is kept whatever its age.
   * Returns how many went.
   */
  async pruneInboundTexts(): Promise<number> {
    const before = new Date(this.options.clock().getTime() - INBOUND_TEXT_RETENTION_DAYS * 86_400_000);
    const { rowCount } = await this.options.pool.query('delete from inbound_texts where processed_at is not null and received_at < $1', [before]);
    return rowCount ?? 0;
  }

  /**
   * Classifies a stored inbound text and acts on it (COMPLIANCE.md,
   * "Replies"): STOP, HELP and START first; anything else goes to the
   * contact's waiting run. The texts of one number are handled one at a
   * time in the order they came (an advisory lock on the number; the oldest
   * unprocessed first), each in one transaction with its mark as processed,
   * so each is acted on once. Undefined for an id never stored.
   */
  async processInbound(providerId: string): Promise<InboundOutcome | undefined> {
    for (;;) {
      const step = await withTransaction(this.options.pool, async (tx) => {
        const { rows: [self] } = await tx.query<{ phone_hash: string; outcome: InboundOutcome | null }>(
          'select phone_hash, outcome from inbound_texts where provider_sid = $1', [providerId],
        );
        if (!self) return { done: true, outcome: undefined };
        if (self.outcome) return { done: true, outcome: self.outcome };
        await tx.query(`select pg_advisory_xact_lock(hashtextextended('inbound:' || $1, 0))`, [self.phone_hash]);
        const { rows: [text] } = await tx.query<InboundText>(
          'select id, provider_sid, phone_hash, body, received_at from inbound_texts where phone_hash = $1 and processed_at is null order by id limit 1 for update',
          [self.phone_hash],
        );
        if (!text) return { done: false, outcome: undefined }; // processed meanwhile by another job: read it again
        const outcome = await this.handleInbound(tx, text);
        await tx.query('update inbound_texts set processed_at = now(), outcome = $2 where id = $1', [text.id, outcome]);
        return { done: text.provider_sid === providerId, outcome };
      });
      if (step.done) return step.outcome;
    }
  }

  private async handleInbound(tx: pg.PoolClient, text: InboundText): Promise<InboundOutcome> {
    const msg = { providerId: text.provider_sid, body: text.body };
    const now = text.received_at;
    const contact = await this.contacts(tx).findContactByPhoneHash(text.phone_hash);
    if (!contact) return 'unknown-contact';
    const record = (body: string) => messageRepository(tx).recordInbound({ contactId: contact.id, body, providerSid: msg.providerId, provider: this.provider(), at: now });
    const { intent } = classifyReply(msg.body);
    if (intent === 'stop') {
      await record(msg.body);
      // FCC 24-24: honoured at once, for every purpose; one confirmation (47 CFR 64.1200(a)(12)).
      const settings = await this.settings(tx);
      await runRepository(tx).stopActiveRuns(contact.id, 'STOP');
      await this.systemText(tx, contact, settings.stopConfirmation, `${msg.providerId}:stop`);
      // Last: an append holds the ledger's chain head until commit.
      await consentRepository(tx).appendConsentEvent({ contactId: contact.id, action: 'revoke', source: 'reply', channel: 'sms', reply: msg.body, sourceRef: msg.providerId, recordedBy: 'system', occurredAt: now });
      return 'stop';
    }
    if (intent === 'help') {
      await record(msg.body);
      const settings = await this.settings(tx);
      await this.systemText(tx, contact, `${settings.brand}: ${settings.helpText}`, `${msg.providerId}:help`);
      return 'help';
    }
    if (intent === 'start' && (await consentRepository(tx).currentConsent(contact.id)) === 'revoked') {
      await record(msg.body);
      const settings = await this.settings(tx);
      await this.systemText(tx, contact, settings.startConfirmation, `${msg.providerId}:start`);
      await consentRepository(tx).appendConsentEvent({ contactId: contact.id, action: 'grant', purpose: 'informational', source: 'reply', channel: 'sms', reply: msg.body, sourceRef: msg.providerId, recordedBy: 'system', occurredAt: now });
      return 'start';
    }
    const run = (await runRepository(tx).activeRunsOf(contact.id))[0];
    if (!run || !(await this.isVerifying(tx, run.id))) {
      await record(msg.body);
      if (!run) return (await this.startKeywordRuns(tx, contact.id, msg.body)) > 0 ? 'started' : 'no-run';
      await this.deliverNow(tx, run.id, { type: 'reply', text: msg.body }, msg.providerId, 'inbound_sms');
      return 'reply';
    }
    // An answer to an identity check (a ZIP, a date of birth, a code): kept only masked, as the answer on record is kept only hashed.
    await record(IDENTITY_ANSWER_MASK);
    await tx.query('update inbound_texts set body = $2 where id = $1', [text.id, IDENTITY_ANSWER_MASK]);
    if (await this.checkIdentityReply(tx, run.id, contact, msg, now)) return 'reply';
    // The check's question is not sent yet (held for quiet hours): the machine ignores a reply in this node, so its inbox gets the mask too.
    await this.deliverNow(tx, run.id, { type: 'reply', text: IDENTITY_ANSWER_MASK }, msg.providerId, 'inbound_sms');
    return 'reply';
  }

  /** Whether the run (locked from here on) waits in an identity check, whose replies are answers to mask. */
  private async isVerifying(tx: pg.PoolClient, runId: string): Promise<boolean> {
    const run = await runRepository(tx).lockRun(runId);
    if (!run) return false;
    const { flow } = await this.load(run.flowVersionId, tx);
    const at = nodeIdOfState((run.snapshot as unknown as StoredSnapshot).value);
    return flow.nodes.some((n) => n.id === at && n.type === 'verify.identity');
  }

  /**
   * A text from a contact with no run waiting for a reply: starts a run of
   * every active version whose trigger is a keyword the text is (case, spaces
   * and closing punctuation aside). The inbox key of the text made this once
   * per message. A version whose approval no longer holds starts nothing.
   */
  private async startKeywordRuns(tx: pg.PoolClient, contactId: string, body: string): Promise<number> {
    const word = normalizeKeyword(body);
    if (!word) return 0;
    const { rows } = await tx.query<{ id: string; content: { nodes: { type: string; data?: { kind?: string; keywords?: string[] } }[] } }>(
      `select id, content from flow_versions where status = 'active' and content->'nodes' @> '[{"type":"trigger","data":{"kind":"keyword"}}]'::jsonb order by flow_id`,
    );
    let started = 0;
    for (const v of rows) {
      const matches = v.content.nodes.some((n) => n.type === 'trigger' && n.data?.kind === 'keyword' && (n.data.keywords ?? []).some((k) => normalizeKeyword(k) === word));
      if (!matches) continue;
      try {
        await this.startRun({ flowVersionId: v.id, contactId }, tx);
        started++;
      } catch (err) {
        // One flow that cannot start (its approval no longer holds) must not keep the others from starting.
        if (!(err instanceof EngineError) && !(err instanceof AppError)) throw err;
      }
    }
    return started;
  }

  /**
   * A delivery-status callback: recorded on the message it is about. A
   * replayed or out-of-order callback changes nothing (`duplicate`).
   */
  async receiveStatus(update: StatusUpdate): Promise<{ outcome: 'updated' | 'duplicate' }> {
    const changed = await messageRepository(this.options.pool).updateDeliveryStatus({
      providerSid: update.providerId,
      status: update.status,
      ...(update.effectId ? { effectId: update.effectId } : {}),
      ...(update.errorCode !== undefined ? { errorCode: update.errorCode } : {}),
    });
    return { outcome: changed ? 'updated' : 'duplicate' };
  }

  /** The graphile-worker tasks of the engine. */
  taskList(): TaskList {
    const advance: Task = async (payload) => this.advance((payload as { runId: string }).runId);
    const effect: Task = async (payload) => this.perform(payload as EffectJob);
    const timer: Task = async (payload) => {
      const p = payload as { runId: string; key: string; event: AnyEventObject; step: number };
      await this.deliver(p.runId, p.event, `${p.runId}:timer:${p.key}:${p.step}`, 'timer');
    };
    const systemText: Task = async (payload) => this.sendSystemText(payload as SystemTextJob);
    const scheduled: Task = async (payload, helpers) => {
      const p = payload as { flowId: string; contactId: string; vars: Record<string, unknown> };
      const { rows } = await this.options.pool.query(`select id from flow_versions where flow_id = $1 and status = 'active'`, [p.flowId]);
      // Paused or replaced by a flow that no longer starts on a schedule since: nothing to start.
      if (!rows[0]) return helpers.logger.info(`scheduled run of flow ${p.flowId} not started: it has no active version`);
      try {
        await this.startRun({ flowVersionId: rows[0].id as string, contactId: p.contactId, vars: p.vars });
      } catch (err) {
        // Its approval no longer holds: retrying will not help until it is reviewed again.
        if (err instanceof AppError && err.code === 'conflict') return helpers.logger.warn(`scheduled run of flow ${p.flowId} not started: ${err.message}`);
        throw err;
      }
    };
    const refund: Task = async (payload) => performRefund({ pool: this.options.pool, payments: this.options.payments, clock: this.options.clock }, (payload as { refundId: string }).refundId);
    const inbound: Task = async (payload) => {
      await this.processInbound((payload as { providerId: string }).providerId);
    };
    const pruneInbound: Task = async (_payload, helpers) => {
      const pruned = await this.pruneInboundTexts();
      if (pruned) helpers.logger.info(`deleted ${pruned} inbound texts processed and older than ${INBOUND_TEXT_RETENTION_DAYS} days`);
    };
    return { [TASKS.pruneInbound]: pruneInbound, [TASKS.inbound]: inbound, [TASKS.advance]: advance, [TASKS.effect]: effect, [TASKS.timer]: timer, [TASKS.systemText]: systemText, [TASKS.scheduledStart]: scheduled, [TASKS.refund]: refund };
  }

  // Steps -----------------------------------------------------------------

  /**
   * Events that jobs deliver (a timer, a send's answer, an API event) are
   * applied in batches: the deliveries of the same moment share one
   * transaction of four statements, however many runs they touch
   * (`GroupCommit`, `deliverIn`). A lone delivery goes at once.
   */
  private readonly deliveries = new GroupCommit<Delivery, boolean>((items) => withTransaction(this.options.pool, (tx) => this.deliverIn(tx, items)), { maxBatch: 200 });

  /** Applies a run's unprocessed inbox events (an API event was put there). */
  private async advance(runId: string): Promise<void> {
    await this.deliveries.add({ runId });
  }

  /** Delivers an event to a run in a batch of its own transaction (see `deliveries`); false when its key was seen before. */
  private deliver(runId: string, event: AnyEventObject, key: string, kind: InboxKind = 'api'): Promise<boolean> {
    return this.deliveries.add({ runId, event: { event, key, kind } });
  }

  /**
   * Puts an event in the run's inbox and applies it at once, in the caller's
   * transaction (a reply with the text's mark as processed, a send's answer
   * with its record), instead of enqueueing an advance job for it: one
   * transaction and no second job per step. The run's row lock still orders
   * its steps.
   */
  private async deliverNow(tx: Queryable, runId: string, event: AnyEventObject, key: string, kind: InboxKind = 'api'): Promise<boolean> {
    return (await this.deliverIn(tx, [{ runId, event: { event, key, kind } }]))[0]!;
  }

  /**
   * Puts the events in their runs' inboxes (once per key), locks the runs and
   * applies every unprocessed event of each, in the caller's transaction:
   * two statements to read, then the steps in memory, then one statement
   * that stores them all (`StepWrites`). Returns, per delivery, whether its
   * event was new (a delivery without an event only advances its run).
   */
  private async deliverIn(tx: Queryable, deliveries: readonly Delivery[]): Promise<boolean[]> {
    const runs = runRepository(tx);
    const sent = deliveries.flatMap((d) => (d.sent ? [d.sent] : []));
    if (sent.length) await messageRepository(tx).markSentMany(sent);
    const events = deliveries.flatMap((d) => (d.event ? [{ runId: d.runId, ...d.event }] : []));
    const { added, runs: locked } = await runs.addInboxEventsAndLockRuns(events, deliveries.map((d) => d.runId));
    // Read after the runs' locks: what an earlier holder applied is seen as processed.
    const inbox = locked.length ? await runs.unprocessedEventsOf(locked.map((r) => r.id)) : new Map<string, InboxEvent[]>();
    const writes = new StepWrites();
    const consent = new ConsentReads(tx);
    for (const run of locked) await this.applySteps(tx, writes, consent, run, inbox.get(run.id) ?? []);
    await writes.flush(tx);
    const counted = new Set<string>();
    return deliveries.map((d) => {
      if (!d.event || !added.has(d.event.key) || counted.has(d.event.key)) return false;
      counted.add(d.event.key);
      return true;
    });
  }

  /** Applies a locked run's unprocessed events, in order, each a step; what they write goes to `writes`. */
  private async applySteps(tx: Queryable, writes: StepWrites, consent: ConsentReads, run: RunRow, events: readonly InboxEvent[]): Promise<void> {
    writes.runRead(run.id, run.version, run.status);
    if (run.status !== 'active') {
      for (const e of events) writes.eventProcessed(e.id, `run ${run.status}`);
      return;
    }
    const { machine, readsContact } = await this.load(run.flowVersionId, tx);
    const contact = readsContact ? await this.contacts(tx).getContact(run.contactId) : undefined;
    let snapshot = withContact(run.snapshot as unknown as StoredSnapshot, contact ? contactScope(contact) : {});
    let version = run.version;
    for (const e of events) {
      const result = stepRun(machine, run.id, snapshot, e.payload.event, version + 1);
      if (!result.changed) {
        writes.eventProcessed(e.id, 'ignored');
        continue;
      }
      writes.eventProcessed(e.id, 'applied');
      ({ snapshot, version } = await this.commitStep(writes, consent, run.id, run.contactId, machine, result, version + 1, e.id));
      if (snapshot.status === 'done') break;
    }
    writes.runReached(run.id, withoutContact(snapshot), runStatusOf(snapshot), version);
  }

  /**
   * A step's effects and timers, written with it. Effects that only read the
   * database are answered here and their answers applied at once, as further
   * steps of the same transaction (a consent check), and `endRun` needs
   * nothing (the final snapshot ends the run); every other effect becomes a
   * job that runs after commit. The nodes each step went through are
   * recorded (`run_steps`, the path the run inspector draws); `eventId` is
   * the inbox event `first` applied, `step` its number. Returns the snapshot
   * and version reached.
   */
  private async commitStep(writes: StepWrites, consent: ConsentReads, runId: string, contactId: string, machine: FlowMachine, first: StepResult, step: number, eventId: string | null = null): Promise<{ snapshot: StoredSnapshot; version: number }> {
    const pending: { result: StepResult; step: number; eventId: string | null }[] = [{ result: first, step, eventId }];
    let snapshot = first.snapshot;
    let version = step;
    while (pending.length > 0) {
      const { result, step: at, eventId: applied } = pending.shift()!;
      writes.stepMoves(runId, at, applied, result.moves, this.options.clock());
      const answers: AnyEventObject[] = [];
      for (const effect of result.effects) {
        if (effect.type === 'endRun') continue;
        if (effect.type === 'checkConsent') {
          const p = effect.params as { nodeId: string; purpose: Purpose };
          const granted = consentCovers(await consent.of(contactId), p.purpose);
          answers.push({ type: granted ? 'consent.granted' : 'consent.missing', nodeId: p.nodeId });
          continue;
        }
        writes.addJob(TASKS.effect, { runId, effect }, { key: effect.id });
      }
      for (const t of result.timers) {
        const key = `${runId}:${t.key}`;
        if (t.op === 'cancel') writes.removeJob(key);
        else writes.addJob(TASKS.timer, { runId, key: t.key, event: t.event, step: t.step }, { key, delayMs: t.delayMs });
      }
      for (const event of answers) {
        const next = stepRun(machine, runId, snapshot, event, version + 1);
        if (!next.changed) continue;
        snapshot = next.snapshot;
        version += 1;
        pending.push({ result: next, step: version, eventId: null });
      }
    }
    return { snapshot, version };
  }

  // Effects ---------------------------------------------------------------

  /**
   * Effects that fall due together read their runs, contacts and the guard's
   * readings in one statement (`readEffectContexts`); a lone effect reads at once.
   */
  private readonly effectContexts = new GroupCommit<{ runId: string; since: Date }, EffectContext | undefined>(
    (asks) => readEffectContexts(this.options.pool, this.keys, asks),
  );

  /** Sends that fall due together are claimed in one statement (`claimSends`): each still at most once. */
  private readonly claims = new GroupCommit<OutboundClaim, boolean>((claims) => messageRepository(this.options.pool).claimSends(claims));

  private async perform(job: EffectJob): Promise<void> {
    const { pool, clock } = this.options;
    // Read right before the effect: a send's guard decides on the ledger of this moment.
    const context = await this.effectContexts.add({ runId: job.runId, since: new Date(clock().getTime() - GUARD_WINDOW_MS) });
    if (!context || context.run.status !== 'active') return; // ended (STOP, end): nothing more is done for it
    const { run, contact, guard } = context;
    const p = job.effect.params as Record<string, unknown> & { nodeId: string };
    const answer = (event: AnyEventObject, suffix: string) => this.deliver(run.id, event, `${job.effect.id}:${suffix}`);
    switch (job.effect.type) {
      case 'sendSms':
        return this.send(job, run.id, contact, run.snapshot as unknown as StoredSnapshot, p as unknown as SendSmsParams, { guard });
      case 'checkConsent': {
        const granted = consentCovers(await consentRepository(pool).currentConsent(contact.id), p.purpose as Purpose);
        await answer({ type: granted ? 'consent.granted' : 'consent.missing', nodeId: p.nodeId }, 'consent');
        return;
      }
      case 'recordConsent':
        if (p.action === 'grant') {
          const text = renderTemplate(String(p.text), scopeOf(run.snapshot as unknown as StoredSnapshot, contact));
          await consentRepository(pool).appendConsentEvent({
            contactId: contact.id, action: 'grant', purpose: p.purpose as Purpose, source: 'reply', channel: 'sms', textShown: text,
            reply: p.mode === 'notice' ? '(no reply within the notice period)' : 'YES', runId: run.id, recordedBy: 'system', occurredAt: clock(),
            details: { mode: p.mode, nodeId: p.nodeId },
          });
        }
        return;
      case 'waitForWindow': {
        const window = { from: String(p.from), to: String(p.to), days: p.days as string[] | undefined };
        const opening = nextWindowOpening(clock(), resolveZones(locationOf(contact)), window);
        if (!opening) throw new Error(`no opening of ${window.from}–${window.to} within a week`);
        await withTransaction(pool, async (tx) => {
          if (opening.getTime() <= clock().getTime()) await this.deliverNow(tx, run.id, { type: 'window.open', nodeId: p.nodeId }, `${job.effect.id}:open`);
          else await addJob(tx, TASKS.timer, { runId: run.id, key: `window:${p.nodeId}`, event: { type: 'window.open', nodeId: p.nodeId }, step: 0 }, { key: `${run.id}:window:${job.effect.id}`, delayMs: opening.getTime() - clock().getTime() });
        });
        return;
      }
      case 'startVerification':
        return this.startVerification(job, run.id, contact, run.snapshot as unknown as StoredSnapshot, p as unknown as StartVerificationParams, guard);
      case 'requestPayment':
        return this.requestPayment(job, run.id, contact, run.snapshot as unknown as StoredSnapshot, p as unknown as RequestPaymentParams, guard);
      case 'endRun':
        await runRepository(pool).saveStep(run.id, run.snapshot, 'done');
        return;
      default:
        throw new Error(`effect ${job.effect.type} is not supported by this engine yet`);
    }
  }

  /**
   * The send-time guard, then at most one provider call per effect. `sent` and
   * `failed` are the events that answer the node; `prepare` runs once this
   * attempt owns the send (after the claim, before the provider call) and
   * fills what the text carries (a one-time code, a payment link); the copy
   * kept in `messages` has those masked (`storedScope`).
   */
  private async send(job: EffectJob, runId: string, contact: Contact, snapshot: StoredSnapshot, p: SendSmsParams, opts: SendOptions = {}): Promise<void> {
    const { pool, clock, messaging } = this.options;
    const messages = messageRepository(pool);
    const now = clock();
    const { consent, inbound, recentSends, pausedStates } = await this.guardReadings(contact.id, new Date(now.getTime() - GUARD_WINDOW_MS), opts.guard);
    const decision = evaluateSend({
      contact: locationOf(contact),
      purpose: p.purpose,
      at: now,
      // The opt-in request itself is how consent is asked: only a STOP stops it.
      consent: p.kind === 'consent' ? (consent === 'revoked' ? 'revoked' : 'granted') : consent,
      answering: p.outsideHours === 'send' && inbound !== undefined && !inbound.answered,
      inboundAt: inbound?.at,
      recentSends,
      pausedStates,
    });
    const scope = scopeOf(snapshot, contact);
    const stored = renderTemplate(p.body, { ...scope, ...opts.storedScope });
    const claim = { effectId: job.effect.id, contactId: contact.id, runId, purpose: p.purpose, body: stored, provider: this.provider(), at: now };
    const answer = (event: AnyEventObject, suffix: string) => this.deliver(runId, event, `${job.effect.id}:${suffix}`, 'delivery_status');
    const sentEvent = opts.sent === undefined ? { type: 'sms.sent', nodeId: p.nodeId } : opts.sent;
    const failedEvent = opts.failed ?? ((reason: string) => ({ type: 'sms.failed', nodeId: p.nodeId, reason }));
    if (decision.verdict === 'defer') {
      await withTransaction(pool, async (tx) => {
        await runStepRepository(tx).recordDeferral({ runId, effectId: job.effect.id, until: new Date(decision.until!), reason: decision.reason, at: now });
        await addJob(tx, TASKS.effect, job, { key: `${job.effect.id}:deferred:${decision.until}`, delayMs: Date.parse(decision.until!) - now.getTime() });
      });
      return;
    }
    if (decision.verdict === 'block') {
      await messages.recordBlocked(claim, decision.reason);
      await answer(failedEvent(decision.reason), 'failed');
      return;
    }
    if (!(await this.claims.add(claim))) {
      // Claimed before, by an attempt of this job whose worker died: reconcile with the provider, never resend blindly.
      const prior = await messages.claimedSend(job.effect.id);
      if (prior && prior.status !== 'sending') {
        // Finished by that attempt, which may have died before answering the run: answer again (once per key).
        if (prior.status === 'failed') await answer(failedEvent(prior.error ?? 'the text was not sent'), 'failed');
        else if (prior.status !== 'blocked' && sentEvent) await answer(sentEvent, 'sent');
        return;
      }
      const known = messaging.findByEffectId ? await messaging.findByEffectId(job.effect.id) : undefined;
      if (known) {
        await messages.markSent(job.effect.id, known.providerId, now);
        if (sentEvent) await answer(sentEvent, 'sent');
        return;
      }
      if (!messaging.findByEffectId || opts.prepare) {
        // The provider cannot say (Twilio has no look-up by our id), or what the text carried is gone: fail it.
        await messages.markFailed(job.effect.id, 'delivery unknown after a worker crash; not resent');
        await answer(failedEvent('delivery unknown; not resent'), 'failed');
        return;
      }
      // The provider confirms it never received this text: sending it now is its first and only send.
    }
    let sent: { providerId: string };
    try {
      const prepared = opts.prepare ? await opts.prepare() : {};
      if (typeof prepared === 'string') {
        await messages.markFailed(job.effect.id, prepared);
        await answer(failedEvent(prepared), 'failed');
        return;
      }
      const body = renderTemplate(p.body, { ...scope, ...prepared });
      sent = await messaging.send({ to: contact.phone!, body, effectId: job.effect.id });
    } catch (err) {
      if (await this.sendAgainLater(err, job.effect.id, TASKS.effect, job)) return;
      const reason = refusedReason(err, job.retries ?? 0);
      await messages.markFailed(job.effect.id, reason);
      await answer(failedEvent(reason), 'failed');
      return;
    }
    // Sent: recorded, and the run answered and stepped on, in one transaction (shared with the deliveries of the same moment).
    try {
      const record = { effectId: job.effect.id, providerId: sent.providerId, at: now };
      if (sentEvent) await this.deliveries.add({ runId, event: { event: sentEvent, key: `${job.effect.id}:sent`, kind: 'delivery_status' }, sent: record });
      else await messages.markSent(record.effectId, record.providerId, record.at);
    } catch (err) {
      // The text did go: that much is recorded on its own, so the job's retry answers the run from it and never resends.
      await messages.markSent(job.effect.id, sent.providerId, now);
      throw err;
    }
  }

  /**
   * What the send-time guard decides on (`GuardRows`, one snapshot of the
   * database), read now unless the effect's context brought it. A STOP among
   * the texts stored but not yet classified (as the classifier reads it) is a
   * revocation already: FCC 24-24 wants it honoured at once, not once its
   * job has run.
   */
  private async guardReadings(contactId: string, since: Date, read?: GuardRows): Promise<{ consent: ConsentLevel; inbound?: { at: Date; answered: boolean }; recentSends: Date[]; pausedStates: string[] }> {
    const r = read ?? (await readGuard(this.options.pool, contactId, since));
    if (!r) throw new Error(`there is no contact ${contactId}`);
    const unprocessedStop = r.unprocessed.some((body) => classifyReply(body).intent === 'stop');
    return {
      consent: unprocessedStop ? 'revoked' : consentLevelOf(r.consent as { action: 'grant' | 'revoke'; purpose: Purpose | 'all' }[]),
      ...(r.inbound ? { inbound: { at: new Date(r.inbound.at), answered: r.inbound.answered } } : {}),
      recentSends: r.marketing.map((t) => new Date(t)),
      pausedStates: r.paused ?? [],
    };
  }

  // Identity checks ------------------------------------------------------------

  private async startVerification(job: EffectJob, runId: string, contact: Contact, snapshot: StoredSnapshot, p: StartVerificationParams, guard?: GuardRows): Promise<void> {
    const { pool, appSecret, clock } = this.options;
    const expected = p.method === 'otp' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : p.method === 'zip' ? contact.zip : contact.dateOfBirth;
    const failed = (reason: string) => ({ type: 'identity.failed', nodeId: p.nodeId, reason });
    if (!expected) {
      const reason = `nothing on record to compare with: the contact has no ${p.method === 'zip' ? 'ZIP code' : 'date of birth'}`;
      await this.deliver(runId, failed(reason), `${job.effect.id}:failed`);
      return;
    }
    const hash = createAnswerHasher(appSecret)(runId, p.method, expected);
    await this.send(job, runId, contact, snapshot, { nodeId: p.nodeId, kind: 'verify', purpose: 'informational', body: p.body, outsideHours: 'defer' }, {
      sent: null,
      failed,
      ...(guard ? { guard } : {}),
      storedScope: { verify: { code: '••••••' } },
      prepare: async () => {
        await withTransaction(pool, async (tx) => {
          await tx.query(`update verifications set status = 'superseded' where run_id = $1 and status = 'pending'`, [runId]);
          await tx.query(
            `insert into verifications (run_id, node_id, effect_id, method, answer_hash, attempts_left, expires_at) values ($1, $2, $3, $4, $5, $6, $7)`,
            [runId, p.nodeId, issueOf(job), p.method, hash, p.maxAttempts, p.method === 'otp' ? new Date(clock().getTime() + OTP_LIFETIME_MS) : null],
          );
        });
        return p.method === 'otp' ? { verify: { code: expected } } : {};
      },
    });
  }

  /**
   * A reply while the run waits in an identity check: compared with the
   * answer on record. True when the reply was the check's (then it never
   * reaches the flow as an ordinary reply).
   */
  private async checkIdentityReply(tx: pg.PoolClient, runId: string, contact: Contact, msg: { providerId: string; body: string }, at: Date): Promise<boolean> {
    const { appSecret } = this.options;
    const run = await runRepository(tx).lockRun(runId);
    const { rows } = await tx.query(`select id, node_id, method, answer_hash, attempts_left, expires_at from verifications where run_id = $1 and status = 'pending' for update`, [runId]);
    const v = rows[0];
    if (!run || !v || nodeIdOfState((run.snapshot as unknown as StoredSnapshot).value) !== v.node_id) return false;
    const event = (e: AnyEventObject) => this.deliverNow(tx, runId, e, msg.providerId, 'inbound_sms');
    if (v.expires_at && at.getTime() > (v.expires_at as Date).getTime()) {
      // A code answered late proves nothing, right or wrong: the check fails with why.
      await tx.query(`update verifications set status = 'failed' where id = $1`, [v.id]);
      await event({ type: 'identity.failed', nodeId: v.node_id, reason: `the one-time code expired (a code lasts ${OTP_LIFETIME_MS / 60_000} minutes)` });
      return true;
    }
    if (createAnswerHasher(appSecret)(runId, v.method, msg.body) === v.answer_hash) {
      await tx.query(`update verifications set status = 'verified' where id = $1`, [v.id]);
      await event({ type: 'identity.verified', nodeId: v.node_id });
      return true;
    }
    const left = Number(v.attempts_left) - 1;
    if (left <= 0) {
      await tx.query(`update verifications set status = 'failed', attempts_left = 0 where id = $1`, [v.id]);
      await event({ type: 'identity.failed', nodeId: v.node_id, reason: 'too many wrong answers' });
      return true;
    }
    await tx.query(`update verifications set attempts_left = $2 where id = $1`, [v.id, left]);
    await this.systemText(tx, contact, `That doesn't match our records. Please try again (${left} attempt${left === 1 ? '' : 's'} left).`, `${msg.providerId}:retry`);
    return true;
  }

  // Payments -----------------------------------------------------------------

  private async requestPayment(job: EffectJob, runId: string, contact: Contact, snapshot: StoredSnapshot, p: RequestPaymentParams, guard?: GuardRows): Promise<void> {
    const { pool, clock, payments } = this.options;
    const publicUrl = this.options.publicUrl ?? 'http://localhost:3000';
    const failed = (reason: string) => ({ type: 'payment.failed', nodeId: p.nodeId, reason });
    const scope = scopeOf(snapshot, contact);
    const fail = async (reason: string): Promise<void> => {
      await this.deliver(runId, failed(reason), `${job.effect.id}:failed`);
    };
    const amountText = typeof p.amount === 'number' ? String(p.amount) : renderTemplate(p.amount, scope).trim();
    const charge = chargeAmount(amountText, p.currency, MAX_PAYMENT_AMOUNT);
    if (!charge.ok) return fail(charge.reason);
    const { amountMinor } = charge;
    if (!payments) return fail('payments are not configured');
    const amount = fromMinorUnits(amountMinor, p.currency);
    const description = renderTemplate(p.description, scope).trim() || 'Payment';
    const expiresAt = new Date(clock().getTime() + (parseDuration(p.expiresIn) ?? 72 * 3_600_000));
    await this.send(job, runId, contact, snapshot, { nodeId: p.nodeId, kind: 'payment', purpose: 'informational', body: p.body, outsideHours: 'defer' }, {
      sent: null,
      failed,
      ...(guard ? { guard } : {}),
      storedScope: { payment: { link: `${publicUrl}/pay/…`, amount } },
      prepare: async () => {
        const link = await payments.createPaymentLink({
          effectId: issueOf(job), runId, amountMinor, currency: p.currency, description,
          successUrl: `${publicUrl}/pay/done`, cancelUrl: `${publicUrl}/pay/done`, expiresAt, issuedAt: clock(),
        });
        // Optline's own short link: 256 random bits, kept only as a hash, bound to this run and amount.
        const token = newPaymentToken();
        await withTransaction(pool, async (tx) => {
          await tx.query(`update payments set status = 'superseded' where run_id = $1 and status = 'pending'`, [runId]);
          await tx.query(
            `insert into payments (run_id, contact_id, effect_id, node_id, token_hash, amount_minor, currency, description, provider, provider_session_id, checkout_url, expires_at, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
            [runId, contact.id, issueOf(job), p.nodeId, hashPaymentToken(token), amountMinor, p.currency.toLowerCase(), description,
              payments.name === 'stripe' ? 'stripe' : 'sandbox', link.providerId, link.token ? null : link.url, link.expiresAt, clock()],
          );
        });
        return { payment: { link: `${publicUrl}/pay/${token}`, amount } };
      },
    });
  }

  /**
   * A payment provider's event (webhook, or the sandbox's test page), once per
   * event id: a paid or finally failed payment settles its link and answers the
   * run; a card check that failed is a failure with its reason; checks that were
   * unavailable or not made are kept on the payment. Money taken for a
   * payment that failed, or on a link already dead, is refunded (`refunding`).
   */
  async receivePaymentEvent(event: PaymentEvent): Promise<{ outcome: 'ignored' | 'unknown' | 'settled' | 'duplicate' | 'paid' | 'failed' | 'expired' | 'recorded' | 'refunding' }> {
    if (event.type === 'ignored') return { outcome: 'ignored' };
    const { pool } = this.options;
    const publicUrl = this.options.publicUrl ?? 'http://localhost:3000';
    return withTransaction(pool, async (tx) => {
      const { rows } = await tx.query(`select id, run_id, node_id, status, amount_minor, currency from payments where provider_session_id = $1 for update`, [event.providerId]);
      const pay = rows[0];
      if (!pay) return { outcome: 'unknown' as const };
      const refund = async (reason: string) => {
        const refundId = await recordRefundDue(tx, { paymentId: pay.id, providerSessionId: event.providerId, reason });
        if (refundId) await addJob(tx, TASKS.refund, { refundId }, { key: `refund:${refundId}` });
        return refundId !== undefined;
      };
      if (pay.status !== 'pending') {
        // Paid again on a page of a link that is over (replaced, expired, failed): the money goes back. A paid link's replays change nothing.
        if (pay.status !== 'paid' && tookMoney(event)) {
          return { outcome: (await refund(`paid on a payment link that was already ${pay.status}`)) ? ('refunding' as const) : ('settled' as const) };
        }
        return { outcome: 'settled' as const };
      }
      const checks = event.cardChecks ? { cardChecks: event.cardChecks } : {};
      const key = `payment:${event.eventId}`;
      if (event.type === 'paid') {
        await tx.query(`update payments set status = 'paid', paid_at = $2, verification = verification || $3::jsonb where id = $1`, [pay.id, this.options.clock(), JSON.stringify(checks)]);
        const amount = Number(fromMinorUnits(Number(pay.amount_minor), pay.currency));
        const added = await this.deliverEvent(tx, pay.run_id, { type: 'payment.paid', nodeId: pay.node_id, amount, receiptUrl: `${publicUrl}/pay/receipt/${pay.id}` }, key, 'payment');
        return { outcome: added ? ('paid' as const) : ('duplicate' as const) };
      }
      if (event.type === 'failed' && event.final) {
        await tx.query(`update payments set status = 'failed', failure_reason = $2, verification = verification || $3::jsonb where id = $1`, [pay.id, event.reason, JSON.stringify(checks)]);
        // The provider took the money before Optline's checks failed it: the contact is told they were not charged, so it goes back.
        if (event.captured) await refund(event.reason);
        const added = await this.deliverEvent(tx, pay.run_id, { type: 'payment.failed', nodeId: pay.node_id, reason: event.reason }, key, 'payment');
        return { outcome: added ? ('failed' as const) : ('duplicate' as const) };
      }
      if (event.type === 'expired' && event.final) {
        // The node's own timer takes the `expired` path; the link is dead from now on.
        await tx.query(`update payments set status = 'expired' where id = $1`, [pay.id]);
        return { outcome: 'expired' as const };
      }
      // A declined card inside the hosted page (the contact may try another), or only the provider's page expired.
      await tx.query(`update payments set verification = verification || $2::jsonb where id = $1`, [pay.id, JSON.stringify({ lastEvent: event.type, ...(event.type === 'failed' ? { lastFailure: event.reason } : {}) })]);
      return { outcome: 'recorded' as const };
    });
  }

  /**
   * A keyword reply (STOP/HELP/START confirmation): queued in the caller's
   * transaction, sent by a worker, so the webhook answers at once and a failed
   * send is retried — at most once per reply (the effect id is the claim).
   */
  private async systemText(db: Queryable, contact: Contact, body: string, effectId: string): Promise<void> {
    await addJob(db, TASKS.systemText, { contactId: contact.id, body, effectId } satisfies SystemTextJob, { key: effectId });
  }

  private async sendSystemText(job: SystemTextJob): Promise<void> {
    const { pool, clock, messaging } = this.options;
    const contact = await this.contacts(pool).getContact(job.contactId);
    if (!contact?.phone) return; // erased since
    const messages = messageRepository(pool);
    const claimed = await messages.claimSend({ effectId: job.effectId, contactId: contact.id, runId: null, purpose: 'informational', body: job.body, provider: this.provider(), at: clock() });
    if (!claimed) return; // sent (or being sent) by an earlier attempt: never twice
    try {
      const sent = await messaging.send({ to: contact.phone, body: job.body, effectId: job.effectId });
      await messages.markSent(job.effectId, sent.providerId, clock());
    } catch (err) {
      if (await this.sendAgainLater(err, job.effectId, TASKS.systemText, job)) return;
      await messages.markFailed(job.effectId, refusedReason(err, job.retries ?? 0));
    }
  }

  /**
   * A send the provider refused without taking the text (`refusedUnsent`)
   * is given back and tried again later by a copy of its job (`task`,
   * `job`), 1, 2, 4, 8 and 16 s later: the same effect, so at most once
   * still holds, and the send-time guard decides afresh at that moment (a
   * STOP meanwhile blocks it). True when it was put off; false when it is
   * not for retrying or its retries are spent.
   */
  private async sendAgainLater(err: unknown, effectId: string, task: string, job: EffectJob | SystemTextJob): Promise<boolean> {
    const retries = job.retries ?? 0;
    if (!refusedUnsent(err) || retries >= SEND_RETRIES) return false;
    const next = retries + 1;
    await withTransaction(this.options.pool, async (tx) => {
      await messageRepository(tx).markPending(effectId, `${err.message}; trying again (${next} of ${SEND_RETRIES})`);
      await addJob(tx, task, { ...job, retries: next }, { key: `${effectId}:retry:${next}`, delayMs: 1000 * 2 ** retries });
    });
    return true;
  }

  // Loading ---------------------------------------------------------------

  /** A version's flow and machine, created once per version (machine creation is costly for big flows). */
  /**
   * Refuses a version whose approval binding no longer holds (approval-gate.ts).
   * The verdict is remembered per version, approval and stored-content
   * fingerprint, so a run start re-analyzes only when one of them changed.
   */
  private async assertApproved(flowVersionId: string, fingerprint: string, db: Queryable = this.options.pool): Promise<void> {
    const approval = await reviewRepository(db).latestApproval(flowVersionId);
    const key = `${flowVersionId}:${approval?.id ?? 'none'}:${fingerprint}`;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = (async (): Promise<GateVerdict> => {
        const version = await flowRepository(db).getVersion(flowVersionId);
        return version ? approvalVerdict(version, approval) : { ok: false, reason: 'there is no such version' };
      })();
      verdict.catch(() => this.verdicts.delete(key));
      this.verdicts.set(key, verdict);
    }
    const v = await verdict;
    if (!v.ok) throw new AppError('conflict', `version ${flowVersionId} cannot start runs until it is reviewed again: ${v.reason}`);
  }

  /** `db`: the connection to read it on (a caller's transaction reads on its own connection). */
  private load(flowVersionId: string, db: Queryable = this.options.pool): Promise<Loaded> {
    let loaded = this.machines.get(flowVersionId);
    if (!loaded) {
      loaded = (async () => {
        const { rows } = await db.query('select content from flow_versions where id = $1', [flowVersionId]);
        const parsed = parseFlow(rows[0]?.content);
        if (!parsed.ok) throw new EngineError('not-found', `version ${flowVersionId} does not hold a valid flow: ${parsed.problems[0]?.message}`);
        return { flow: parsed.flow, machine: createFlowMachine(parsed.flow), readsContact: machineReadsContact(parsed.flow) };
      })();
      loaded.catch(() => this.machines.delete(flowVersionId));
      this.machines.set(flowVersionId, loaded);
    }
    return loaded;
  }

  private async settings(db: Queryable = this.options.pool): Promise<RuntimeSettings> {
    const { rows } = await db.query(
      'select brand, help_text, stop_confirmation_text, start_confirmation_text, paused_marketing_states from settings',
    );
    const r = rows[0]!;
    return { brand: r.brand, helpText: r.help_text, stopConfirmation: r.stop_confirmation_text, startConfirmation: r.start_confirmation_text, pausedStates: r.paused_marketing_states };
  }

  private contacts(db: Queryable) {
    return contactRepository(db, this.keys);
  }

  private provider(): 'twilio' | 'sandbox' {
    return this.options.messaging.name === 'twilio' ? 'twilio' : 'sandbox';
  }
}

interface SendOptions {
  /** The event when the text is sent; null when the node waits for something else (a reply, a payment). Default `sms.sent`. */
  sent?: AnyEventObject | null;
  /** The event when the text is blocked or fails. Default `sms.failed`. */
  failed?: (reason: string) => AnyEventObject;
  /** Extra scope for the copy of the body kept in `messages` (secrets masked). */
  storedScope?: Record<string, unknown>;
  /** Runs once this attempt owns the send: its scope fills the real body; a string fails the send with that reason. */
  prepare?: () => Promise<Record<string, unknown> | string>;
  /** The guard's readings when the effect's context read them (a moment ago, with the run); otherwise read before the send. */
  guard?: GuardRows;
}

/** How long a one-time code verifies after it was issued. */
const OTP_LIFETIME_MS = 10 * 60_000;

/** How far back the guard counts a contact's marketing sends (a daily cap). */
const GUARD_WINDOW_MS = 24 * 3_600_000;

/** How often a send the provider refused without taking it is tried again (`sendAgainLater`). */
const SEND_RETRIES = 5;

/**
 * What a send's `prepare` issues (a one-time code, a payment link) is
 * recorded under the effect id, or under `<effect id>#<try>` when the
 * provider refused the earlier tries (`sendAgainLater`): a retried send
 * issues afresh and the unsent issue is superseded, as a reissue would be
 * (only hashes are kept, so the unsent code or link cannot be sent again).
 */
function issueOf(job: EffectJob): string {
  return job.retries ? `${job.effect.id}#${job.retries}` : job.effect.id;
}

/** The provider refused the send and provably did not take the text (rate limited, unreachable before the request went): it may be tried again. */
function refusedUnsent(err: unknown): err is ProviderError {
  return err instanceof ProviderError && err.retryable && !err.outcomeUnknown;
}

/** Why a send failed, saying so when the provider refused it on every try. */
function refusedReason(err: unknown, retries: number): string {
  const message = err instanceof Error ? err.message : String(err);
  return retries > 0 && refusedUnsent(err) ? `${message} (refused ${retries + 1} times; not sent)` : message;
}

interface SystemTextJob {
  contactId: string;
  body: string;
  effectId: string;
  /** Tries the provider refused so far (`sendAgainLater`). */
  retries?: number;
}

interface EffectJob {
  runId: string;
  effect: { id: string; type: string; params: Record<string, unknown> };
  /** Tries of its text the provider refused so far (`sendAgainLater`). */
  retries?: number;
}

/** A run's status from its machine's: a finished machine ends the run; anything else keeps it active. */
function runStatusOf(snapshot: StoredSnapshot): 'active' | 'done' {
  return snapshot.status === 'done' ? 'done' : 'active';
}

function locationOf(contact: Contact): ContactLocation {
  return { phone: contact.phone ?? undefined, zone: contact.zone, zip: contact.zip, state: contact.state };
}

function contactScope(contact: Contact): Record<string, string> {
  const first = contact.name?.split(' ')[0];
  return first ? { first_name: first, name: contact.name! } : {};
}

/** A template's scope at send time: the contact as their record reads now (a stored snapshot holds no contact fields). */
function scopeOf(snapshot: StoredSnapshot, contact: Contact): Record<string, unknown> {
  const ctx = snapshot.context as unknown as FlowContext;
  // Money reads as money in a text: 42.5 → "42.50" (as the simulator shows it).
  const payment = ctx.payment && { ...ctx.payment, ...(typeof ctx.payment.amount === 'number' ? { amount: ctx.payment.amount.toFixed(2) } : {}) };
  return { vars: ctx.vars, contact: contactScope(contact), reply: ctx.reply, payment };
}

/**
 * Whether the machine itself reads the contact: a `variable.set` template
 * naming `contact` (or one that does not parse, to be safe). Sends read the
 * contact anyway; a step of any other flow needs no look-up.
 */
function machineReadsContact(flow: FlowDocument): boolean {
  return flow.nodes.some(
    (n) => n.type === 'variable.set' && Object.values(n.data.assign).some((t) => {
      const check = checkTemplate(t);
      return !check.ok || check.variables.some((segs) => segs[0] === 'contact');
    }),
  );
}

/** A keyword as texted: upper case, inner spaces single, no surrounding spaces or closing punctuation. */
function normalizeKeyword(text: string): string {
  return text.normalize('NFKC').trim().replace(/[.!?]+$/, '').replace(/\s+/g, ' ').toUpperCase();
}
