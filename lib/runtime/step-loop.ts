import type pg from 'pg';
import type { AnyEventObject } from 'xstate';
import { contactRepository, type ContactKeys } from '@/lib/db/contact-repository';
import { GroupCommit } from '@/lib/db/group-commit';
import { messageRepository, type SentRecord } from '@/lib/db/message-repository';
import { withTransaction, type Queryable } from '@/lib/db/queryable';
import { runRepository, type InboxEvent, type InboxKind, type RunRow } from '@/lib/db/run-repository';
import { StepWrites } from '@/lib/db/step-writes';
import type { FlowMachine } from '@/lib/flow/compile';
import { ConsentReads } from './consent-reads';
import { consentAnswer } from './interpret/effect-plan';
import { contactScope } from './contact-scope';
import { stepRun, withContact, withoutContact, type StepResult, type StoredSnapshot } from './interpret/step';
import { TASKS, type EffectJob, type TimerJob } from './tasks';
import type { VersionCache } from './versions';

/** An event for a run's inbox under its idempotency key, or (no event) a nudge to apply what its inbox holds. */
interface Delivery {
  runId: string;
  event?: { event: AnyEventObject; key: string; kind: InboxKind };
  /** A send's record, committed with its answer: the batch's records go in one statement, first in its transaction. */
  sent?: SentRecord;
}

/** What the step loop reads and writes with. */
export interface StepLoopDeps {
  pool: pg.Pool;
  clock: () => Date;
  keys: ContactKeys;
  versions: VersionCache;
}

/** The run a step belongs to, and what its effects are answered from. */
export interface StepTarget {
  runId: string;
  contactId: string;
  machine: FlowMachine;
  consent: ConsentReads;
  clock: () => Date;
}

/**
 * How events reach runs: into the run's inbox (once per idempotency key),
 * then applied in order under the run's row lock, each a step whose snapshot,
 * effects and timers are written in one transaction.
 */
export class StepLoop {
  constructor(private readonly deps: StepLoopDeps) {}

  /**
   * Events that jobs deliver (a timer, a send's answer, an API event) are
   * applied in batches: the deliveries of the same moment share one
   * transaction of four statements, however many runs they touch
   * (`GroupCommit`, `deliverIn`). A lone delivery goes at once.
   */
  private readonly deliveries = new GroupCommit<Delivery, boolean>(
    (items) => withTransaction(this.deps.pool, (tx) => this.deliverIn(tx, items)),
    { maxBatch: 200 },
  );

  /** Applies a run's unprocessed inbox events (an API event was put there). */
  async advance(runId: string): Promise<void> {
    await this.deliveries.add({ runId });
  }

  /** Delivers an event to a run in a batch of its own transaction (see `deliveries`); false when its key was seen before. */
  deliver(runId: string, event: AnyEventObject, key: string, kind: InboxKind = 'api'): Promise<boolean> {
    return this.deliveries.add({ runId, event: { event, key, kind } });
  }

  /** A send's answer, delivered in the same transaction as the send's record (`sent`). */
  deliverSent(runId: string, event: AnyEventObject, key: string, sent: SentRecord): Promise<boolean> {
    return this.deliveries.add({ runId, event: { event, key, kind: 'delivery_status' }, sent });
  }

  /**
   * Puts an event in the run's inbox and applies it at once, in the caller's
   * transaction (a reply with the text's mark as processed, a send's answer
   * with its record), instead of enqueueing an advance job for it: one
   * transaction and no second job per step. The run's row lock still orders
   * its steps.
   */
  async deliverNow(tx: Queryable, runId: string, event: AnyEventObject, key: string, kind: InboxKind = 'api'): Promise<boolean> {
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
    const { added, runs: locked } = await runs.addInboxEventsAndLockRuns(
      events,
      deliveries.map((d) => d.runId),
    );
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
  private async applySteps(
    tx: Queryable,
    writes: StepWrites,
    consent: ConsentReads,
    run: RunRow,
    events: readonly InboxEvent[],
  ): Promise<void> {
    writes.runRead(run.id, run.version, run.status);
    if (run.status !== 'active') {
      for (const e of events) writes.eventProcessed(e.id, `run ${run.status}`);
      return;
    }
    const { machine, readsContact } = await this.deps.versions.load(tx, run.flowVersionId);
    const contact = readsContact ? await contactRepository(tx, this.deps.keys).getContact(run.contactId) : undefined;
    const target: StepTarget = { runId: run.id, contactId: run.contactId, machine, consent, clock: this.deps.clock };
    let snapshot = withContact(run.snapshot, contact ? contactScope(contact) : {});
    let version = run.version;
    for (const e of events) {
      const result = stepRun(machine, run.id, snapshot, e.payload.event, version + 1);
      if (!result.changed) {
        writes.eventProcessed(e.id, 'ignored');
        continue;
      }
      writes.eventProcessed(e.id, 'applied');
      ({ snapshot, version } = await commitStep(writes, target, result, version + 1, e.id));
      if (snapshot.status === 'done') break;
    }
    writes.runReached(run.id, withoutContact(snapshot), runStatusOf(snapshot), version);
  }
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
export async function commitStep(
  writes: StepWrites,
  target: StepTarget,
  first: StepResult,
  step: number,
  eventId: string | null = null,
): Promise<{ snapshot: StoredSnapshot; version: number }> {
  const { runId, contactId, machine, consent, clock } = target;
  const pending: { result: StepResult; step: number; eventId: string | null }[] = [{ result: first, step, eventId }];
  let snapshot = first.snapshot;
  let version = step;
  while (pending.length > 0) {
    const { result, step: at, eventId: applied } = pending.shift()!;
    writes.stepMoves(runId, at, applied, result.moves, clock());
    const answers: AnyEventObject[] = [];
    for (const effect of result.effects) {
      if (effect.type === 'endRun') continue;
      if (effect.type === 'checkConsent') {
        answers.push(consentAnswer(effect.params, await consent.of(contactId)));
        continue;
      }
      writes.addJob(TASKS.effect, { runId, effect } satisfies EffectJob, { key: effect.id });
    }
    for (const t of result.timers) {
      const key = `${runId}:${t.key}`;
      if (t.op === 'cancel') writes.removeJob(key);
      else writes.addJob(TASKS.timer, { runId, key: t.key, event: t.event, step: t.step } satisfies TimerJob, { key, delayMs: t.delayMs });
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

/** A run's status from its machine's: a finished machine ends the run; anything else keeps it active. */
export function runStatusOf(snapshot: StoredSnapshot): 'active' | 'done' {
  return snapshot.status === 'done' ? 'done' : 'active';
}
