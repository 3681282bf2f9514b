import type pg from 'pg';
import { activeVersionRepository } from '@/lib/db/active-version-repository';
import { consentRepository } from '@/lib/db/consent-repository';
import { contactRepository, type ContactKeys } from '@/lib/db/contact-repository';
import { GroupCommit, storedByFirst } from '@/lib/db/group-commit';
import { acceptInboundTexts, inboundTextRepository, type AcceptedText, type InboundText } from '@/lib/db/inbound-text-repository';
import { messageRepository } from '@/lib/db/message-repository';
import { withTransaction } from '@/lib/db/queryable';
import { runRepository } from '@/lib/db/run-repository';
import { settingsRepository } from '@/lib/db/settings-repository';
import { nodeIdOfState } from '@/lib/flow/machine-events';
import { AppError } from '@/lib/app-error';
import { queueSystemText } from './effects/system-text';
import { EngineError } from './engine-error';
import { checkIdentityReply } from './identity-check';
import { IDENTITY_ANSWER_MASK } from './interpret/identity-answer';
import { clarificationText, keywordAnswer, routeReply, type Keyword } from './interpret/replies';
import { stepRun, withContact } from './interpret/step';
import type { StartInput } from './run-starts';
import type { StepLoop } from './step-loop';
import { TASKS } from './tasks';
import type { VersionCache } from './versions';

/**
 * How long an inbound text stays in the webhook's inbox after it was
 * received and processed (`pruneInboundTexts`): long past any provider's
 * webhook retries, so a replay is still recognised. A contact's texts stay
 * in `messages`; a text from a number that is no contact is gone after it.
 */
export const INBOUND_TEXT_RETENTION_DAYS = 30;

/** What became of an inbound text. */
export type InboundOutcome = 'duplicate' | 'unknown-contact' | 'stop' | 'help' | 'start' | 'reply' | 'started' | 'no-run';

/** What handling inbound texts reads and writes with. */
export interface InboundDeps {
  pool: pg.Pool;
  clock: () => Date;
  keys: ContactKeys;
  appSecret: string;
  /** The provider a `messages` row names. */
  provider: 'twilio' | 'sandbox';
  versions: VersionCache;
  steps: StepLoop;
  /** Starts a run in the caller's transaction (a keyword trigger). */
  startRun: (input: StartInput, tx: pg.PoolClient) => Promise<{ runId: string }>;
}

/** The webhook's inbox of inbound texts and the jobs that act on them (COMPLIANCE.md, "Replies"). */
export class InboundTexts {
  constructor(private readonly deps: InboundDeps) {}

  /** The texts that arrived together, stored with their jobs in one statement (`acceptInboundTexts`). */
  private readonly inbox = new GroupCommit<AcceptedText, boolean>(async (texts) => {
    const stored = await acceptInboundTexts(this.deps.pool, texts, this.deps.provider, TASKS.inbound);
    return storedByFirst(
      texts.map((t) => t.providerId),
      stored,
    );
  });

  /** Stores a text and enqueues its job; false for a replay. */
  accept(msg: { providerId: string; from: string; body: string }): Promise<boolean> {
    return this.inbox.add({
      providerId: msg.providerId,
      phoneHash: this.deps.keys.hashPhone(msg.from),
      body: msg.body,
      at: this.deps.clock(),
    });
  }

  /** Deletes the texts processed and received more than `INBOUND_TEXT_RETENTION_DAYS` before the clock; returns how many went. */
  prune(): Promise<number> {
    const before = new Date(this.deps.clock().getTime() - INBOUND_TEXT_RETENTION_DAYS * 86_400_000);
    return inboundTextRepository(this.deps.pool).pruneProcessed(before);
  }

  /**
   * Classifies a stored inbound text and acts on it. The texts of one number
   * are handled one at a time in the order they came (a lock on the number;
   * the oldest unprocessed first), each in one transaction with its mark as
   * processed, so each is acted on once. Undefined for an id never stored.
   */
  async process(providerId: string): Promise<InboundOutcome | undefined> {
    for (;;) {
      const step = await withTransaction(this.deps.pool, async (tx) => {
        const texts = inboundTextRepository(tx);
        const self = await texts.find(providerId);
        if (!self) return { done: true, outcome: undefined };
        // Only this class writes outcomes, always an InboundOutcome.
        if (self.outcome) return { done: true, outcome: self.outcome as InboundOutcome };
        await texts.lockNumber(self.phoneHash);
        const text = await texts.oldestUnprocessed(self.phoneHash);
        if (!text) return { done: false, outcome: undefined }; // processed meanwhile by another job: read it again
        const outcome = await this.handle(tx, text);
        await texts.markProcessed(text.id, outcome);
        return { done: text.providerSid === providerId, outcome };
      });
      if (step.done) return step.outcome;
    }
  }

  private async handle(tx: pg.PoolClient, text: InboundText): Promise<InboundOutcome> {
    const { providerSid: providerId, body, receivedAt: now } = text;
    const contact = await contactRepository(tx, this.deps.keys).findContactByPhoneHash(text.phoneHash);
    if (!contact) return 'unknown-contact';
    const consents = consentRepository(tx);
    const run = (await runRepository(tx).activeRunsOf(contact.id))[0];
    // A text that comes while a run is active is on that run's record (its inspector shows every text in and out).
    const record = (kept: string) =>
      messageRepository(tx).recordInbound({
        contactId: contact.id,
        runId: run?.id,
        body: kept,
        providerSid: providerId,
        provider: this.deps.provider,
        at: now,
      });
    const waiting = run ? await this.waitingStep(tx, run.id, body) : undefined;
    const route = routeReply(body, {
      consent: await consents.currentConsent(contact.id),
      run: !waiting ? 'none' : waiting.verifying ? 'verifying' : 'waiting',
      flowTakesIt: waiting?.takesReply ?? false,
    });
    const answer = async (keyword: Keyword) =>
      queueSystemText(tx, contact.id, keywordAnswer(keyword, await settingsRepository(tx).get()), `${providerId}:${keyword}`, run?.id);
    // FCC 24-24: one clarifying text for a reply that may be a revocation, at once, on the run's record when there is one.
    const clarify = async () =>
      queueSystemText(tx, contact.id, clarificationText(await settingsRepository(tx).get()), `${providerId}:clarify`, run?.id);
    /** The ledger's entry for a keyword, with the text as its evidence (an append holds the chain head until commit: last). */
    const ledger = (entry: { action: 'revoke' } | { action: 'grant'; purpose: 'informational' }) =>
      consents.appendConsentEvent({
        contactId: contact.id,
        ...entry,
        source: 'reply',
        channel: 'sms',
        reply: body,
        sourceRef: providerId,
        recordedBy: 'system',
        occurredAt: now,
      });
    switch (route.to) {
      case 'stop':
        await record(body);
        // FCC 24-24: honoured at once, for every purpose; one confirmation (47 CFR 64.1200(a)(12)).
        await runRepository(tx).stopActiveRuns(contact.id, 'STOP');
        await answer('stop');
        // Last: an append holds the ledger's chain head until commit.
        await ledger({ action: 'revoke' });
        return 'stop';
      case 'help':
        await record(body);
        await answer('help');
        return 'help';
      case 'start':
        await record(body);
        await answer('start');
        // Va. Code § 59.1-514: only new evidence re-grants, and a START re-grants informational consent only.
        await ledger({ action: 'grant', purpose: 'informational' });
        return 'start';
      case 'no-run': {
        await record(body);
        const started = await this.startKeywordRuns(tx, contact.id, body);
        if (started === 0 && route.clarify) await clarify();
        return started > 0 ? 'started' : 'no-run';
      }
      case 'flow':
        await record(body);
        if (route.clarify) await clarify();
        await this.deps.steps.deliverNow(tx, run!.id, { type: 'reply', text: body }, providerId, 'inbound_sms');
        return 'reply';
      case 'identity':
        // An answer to an identity check (a ZIP, a date of birth, a code): kept only masked, as the answer on record is kept only hashed.
        await record(IDENTITY_ANSWER_MASK);
        await inboundTextRepository(tx).replaceBody(text.id, IDENTITY_ANSWER_MASK);
        if (await checkIdentityReply(tx, this.deps, { runId: run!.id, contact, providerId, body, at: now })) return 'reply';
        // The check's question is not sent yet (held for quiet hours): the machine ignores a reply in this node, so its inbox gets the mask too.
        await this.deps.steps.deliverNow(tx, run!.id, { type: 'reply', text: IDENTITY_ANSWER_MASK }, providerId, 'inbound_sms');
        return 'reply';
      default: {
        const unknown: never = route;
        throw new Error(`reply route ${JSON.stringify(unknown)} is not handled`);
      }
    }
  }

  /**
   * What the run (locked from here on) waits for: an identity check, whose
   * replies are answers to mask, or a step that takes this text as its
   * answer (the machine would move on it).
   */
  private async waitingStep(
    tx: pg.PoolClient,
    runId: string,
    text: string,
  ): Promise<{ verifying: boolean; takesReply: boolean } | undefined> {
    const run = await runRepository(tx).lockRun(runId);
    if (!run) return undefined;
    const { flow, machine } = await this.deps.versions.load(tx, run.flowVersionId);
    const at = nodeIdOfState(run.snapshot.value);
    const verifying = flow.nodes.some((n) => n.id === at && n.type === 'verify.identity');
    const takesReply =
      !verifying && stepRun(machine, run.id, withContact(run.snapshot, {}), { type: 'reply', text }, run.version + 1).changed;
    return { verifying, takesReply };
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
    let started = 0;
    for (const v of await activeVersionRepository(tx).withKeywordTrigger()) {
      const matches = v.content.nodes.some(
        (n) => n.type === 'trigger' && n.data.kind === 'keyword' && n.data.keywords.some((k) => normalizeKeyword(k) === word),
      );
      if (!matches) continue;
      try {
        await this.deps.startRun({ flowVersionId: v.id, contactId }, tx);
        started++;
      } catch (err) {
        // One flow that cannot start (its approval no longer holds) must not keep the others from starting.
        if (!(err instanceof EngineError) && !(err instanceof AppError)) throw err;
      }
    }
    return started;
  }
}

/** A keyword as texted: upper case, inner spaces single, no surrounding spaces or closing punctuation. */
function normalizeKeyword(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/[.!?]+$/, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();
}
