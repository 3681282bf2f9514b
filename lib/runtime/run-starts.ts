import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { resolveZones } from '@/lib/compliance/zones';
import { activeVersionRepository } from '@/lib/db/active-version-repository';
import { contactRepository, type ContactKeys } from '@/lib/db/contact-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { GroupCommit } from '@/lib/db/group-commit';
import { addJob } from '@/lib/db/job-queue';
import type { Queryable } from '@/lib/db/queryable';
import { StepWrites } from '@/lib/db/step-writes';
import { UUID } from '@/lib/fields';
import type { FlowMachine } from '@/lib/flow/compile';
import { ConsentReads } from './consent-reads';
import { contactScope, locationOf } from './contact-scope';
import { EngineError } from './engine-error';
import { nextScheduledDate, scheduledStart } from './schedule';
import { startRun, withoutContact, type StepResult } from './interpret/step';
import { commitStep, runStatusOf } from './step-loop';
import { TASKS, type ScheduledStartJob } from './tasks';
import type { VersionCache } from './versions';

/** A run to start: a version, a contact and the run's variables. */
export interface StartInput {
  flowVersionId: string;
  contactId: string;
  vars?: Record<string, unknown>;
}

type StartOutcome = { runId: string } | { error: unknown };

/** What starting runs reads and writes with. */
export interface RunStartsDeps {
  pool: pg.Pool;
  clock: () => Date;
  keys: ContactKeys;
  versions: VersionCache;
}

/** Starting runs: at once (alone or in a batch of the same moment) or at a flow's scheduled time. */
export class RunStarts {
  constructor(private readonly deps: RunStartsDeps) {}

  private readonly batch = new GroupCommit<StartInput, StartOutcome>((inputs) => this.startRunsIn(this.deps.pool, inputs, 'pool'), {
    maxBatch: 200,
  });

  /** Starts a run, batched with the starts of the same moment, or in the caller's transaction `inTx`. */
  async start(input: StartInput, inTx?: pg.PoolClient): Promise<{ runId: string }> {
    const outcome = inTx ? (await this.startRunsIn(inTx, [input], 'transaction'))[0]! : await this.batch.add(input);
    if ('error' in outcome) throw outcome.error;
    return outcome;
  }

  /**
   * Starts runs inside the caller's transaction, each refused alone (a
   * campaign's batch: the runs and the enrolments that name them commit
   * together). Per input, in order: the run's id or why it was refused.
   */
  async startAllIn(tx: pg.PoolClient, inputs: readonly StartInput[]): Promise<({ runId: string } | { error: unknown })[]> {
    return this.startRunsIn(tx, inputs, 'transaction');
  }

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
    const { versions: cache, keys, clock } = this.deps;
    // On one connection (a caller's transaction) one query at a time: pg queues a second only with a deprecation warning, and pg 9 refuses it.
    const oneAtATime = on === 'transaction';
    // Each version once: active, approved as it stands, compiled.
    const versions = new Map<string, Promise<FlowMachine>>();
    for (const id of new Set(inputs.map((i) => i.flowVersionId))) {
      const checked = (async () => {
        const stored = await flowRepository(db).versionFingerprint(id);
        if (!stored) throw new EngineError('not-found', `there is no flow version ${id}`);
        if (stored.status !== 'active')
          throw new EngineError('version-not-active', `version ${id} is ${stored.status}: only an active version can start runs`);
        await cache.assertApproved(db, id, stored.fingerprint);
        return (await cache.load(db, id)).machine;
      })();
      checked.catch(() => undefined);
      versions.set(id, checked);
      if (oneAtATime) await checked.catch(() => undefined);
    }
    // Most flows open with a consent check, answered before the write: every contact's consent in one read.
    const consent = new ConsentReads(db, [...new Set(inputs.map((i) => i.contactId).filter((id) => UUID.test(id)))]);
    if (oneAtATime) await consent.ready();
    const contacts = await contactRepository(db, keys).getContacts(inputs.map((i) => i.contactId));
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
      const reached = await commitStep(
        writes,
        { runId: s.runId, contactId: s.input.contactId, machine: s.machine, consent, clock },
        s.result,
        0,
      );
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
  async schedule(input: {
    flowId: string;
    contactId: string;
    vars?: Record<string, unknown>;
    on?: string;
  }): Promise<{ on: string; at: Date }> {
    const { pool, clock, keys, versions } = this.deps;
    const active = await activeVersionRepository(pool).ofFlow(input.flowId);
    if (!active) throw new EngineError('version-not-active', `flow "${input.flowId}" has no active version`);
    await versions.assertApproved(pool, active.id, active.fingerprint);
    const trigger = active.content.nodes.find((n) => n.type === 'trigger');
    if (trigger?.type !== 'trigger' || trigger.data.kind !== 'schedule')
      throw new EngineError('invalid-schedule', `flow "${input.flowId}" does not start on a schedule: start its runs at once`);
    const contact = await contactRepository(pool, keys).getContact(input.contactId);
    if (!contact) throw new EngineError('not-found', `there is no contact ${input.contactId}`);
    const zones = resolveZones(locationOf(contact));
    const now = clock();
    const on = input.on ?? nextScheduledDate(trigger.data, now, zones);
    const at = scheduledStart(trigger.data, on, zones);
    if (typeof at === 'string') throw new EngineError('invalid-schedule', at);
    if (at.getTime() <= now.getTime())
      throw new EngineError('invalid-schedule', `${trigger.data.at} on ${on} in the contact's time zone has passed`);
    const payload: ScheduledStartJob = { flowId: input.flowId, contactId: contact.id, vars: input.vars ?? {} };
    await addJob(pool, TASKS.scheduledStart, payload, {
      key: `schedule:${input.flowId}:${contact.id}:${on}`,
      delayMs: at.getTime() - now.getTime(),
    });
    return { on, at };
  }
}
