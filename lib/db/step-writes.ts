import { recordOutboundEvents, runFinishedEvent, runStartedEvent } from './outbound-event-repository';
import { atomically, type Queryable } from './queryable';
import type { RunRow } from './run-repository';
import type { RecordedMove as Move } from './run-step-repository';

/** A run started in the batch. */
export interface NewRun {
  id: string;
  flowVersionId: string;
  contactId: string;
  vars: object;
}

interface JobSpec {
  task: string;
  payload: object;
  key: string | null;
  delayMs: number;
}

/**
 * What the steps of one transaction write, gathered while the engine steps
 * its runs and stored at the end in one statement (`flush`): the runs'
 * snapshots and versions, the inbox events marked processed, the moves
 * recorded for the run inspector, the jobs added (effects, timers) and the
 * timers cancelled. A batch of events for many runs costs the same few
 * round trips as one event: on this kind of machine a round trip costs more
 * than the step's own work.
 *
 * A job key cancelled and scheduled again in the same batch is only
 * scheduled (a keyed add replaces the job); one scheduled and then cancelled
 * is only cancelled.
 */
export class StepWrites {
  private readonly runs = new Map<
    string,
    {
      from: { version: number; status: RunRow['status'] };
      snapshot?: object;
      status?: RunRow['status'];
      version?: number;
      started?: NewRun;
    }
  >();
  private readonly processed: { id: string; outcome: string }[] = [];
  private readonly moves: { runId: string; step: number; seq: number; eventId: string | null; move: Move; at: Date }[] = [];
  private readonly jobs = new Map<string, JobSpec>();
  private readonly unkeyedJobs: JobSpec[] = [];
  private readonly cancelled = new Set<string>();

  /** The run as read (locked) before its steps: a run that ends where it began is not written. */
  runRead(runId: string, version: number, status: RunRow['status']): void {
    if (!this.runs.has(runId)) this.runs.set(runId, { from: { version, status } });
  }

  /**
   * A run started in this batch: inserted by the flush with the state it
   * reached (one statement with its steps and jobs, not an insert and then an
   * update).
   */
  runStarted(run: NewRun): void {
    if (this.runs.has(run.id)) throw new Error(`run ${run.id} is already in this batch`);
    this.runs.set(run.id, { from: { version: 0, status: 'active' }, started: run });
  }

  /** The state a run reached: its snapshot, status and version (its step count). */
  runReached(runId: string, snapshot: object, status: RunRow['status'], version: number): void {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`run ${runId} was not read in this batch`);
    Object.assign(run, { snapshot, status, version });
  }

  eventProcessed(eventId: string, outcome: string): void {
    this.processed.push({ id: eventId, outcome });
  }

  /** A step's moves, in order (once per step: a replayed step adds nothing). */
  stepMoves(runId: string, step: number, eventId: string | null, moves: readonly Move[], at: Date): void {
    moves.forEach((move, seq) => this.moves.push({ runId, step, seq, eventId, move, at }));
  }

  /** A job to add after this transaction's steps; a keyed job replaces the job of the same key. */
  addJob(task: string, payload: object, opts: { key?: string; delayMs?: number } = {}): void {
    const spec = { task, payload, key: opts.key ?? null, delayMs: Math.max(0, opts.delayMs ?? 0) };
    if (spec.key === null) {
      this.unkeyedJobs.push(spec);
      return;
    }
    this.jobs.set(spec.key, spec);
  }

  removeJob(key: string): void {
    this.jobs.delete(key);
    this.cancelled.add(key);
  }

  get empty(): boolean {
    return (
      this.processed.length === 0 &&
      this.moves.length === 0 &&
      this.jobs.size === 0 &&
      this.unkeyedJobs.length === 0 &&
      this.cancelled.size === 0 &&
      this.changedRuns().length === 0 &&
      ![...this.runs.values()].some((r) => r.started)
    );
  }

  private changedRuns() {
    return [...this.runs].filter(
      ([, r]) => !r.started && r.snapshot !== undefined && (r.version! > r.from.version || r.status !== r.from.status),
    );
  }

  private startedRuns() {
    return [...this.runs]
      .filter(([, r]) => r.started)
      .map(([, r]) => {
        if (r.snapshot === undefined) throw new Error(`run ${r.started!.id} was started in this batch but reached no state`);
        // As an insert followed by the update of a change would have left it: a run that moved has counted at least one step.
        const moved = r.version! > 0 || r.status !== 'active';
        return { ...r.started!, snapshot: r.snapshot, status: r.status!, version: moved ? Math.max(r.version!, 1) : 0 };
      });
  }

  /** The outbound webhook events of the batch: runs started, runs ended (in that order per run). */
  private outboundEvents() {
    const events = [];
    for (const [id, r] of this.runs) {
      if (r.started) events.push(runStartedEvent(id, r.started.contactId, r.started.flowVersionId));
      const ended = r.status !== undefined && r.status !== 'active' && r.from.status === 'active';
      if (ended) events.push(runFinishedEvent(id, r.started?.contactId ?? null, r.status!));
    }
    return events;
  }

  /**
   * Everything in one statement (nothing when there is nothing to write),
   * then the outbound webhook events of runs started and ended, in the same
   * transaction (a second statement only when there are such events): all
   * or none, even given a pool (`atomically`).
   */
  async flush(db: Queryable): Promise<void> {
    if (this.empty) return;
    const events = this.outboundEvents();
    if (events.length === 0) return this.write(db);
    await atomically(db, async (q) => {
      await this.write(q);
      await recordOutboundEvents(q, events);
    });
  }

  private async write(db: Queryable): Promise<void> {
    const runs = this.changedRuns();
    const started = this.startedRuns();
    const jobs = [...this.unkeyedJobs, ...this.jobs.values()];
    // A cancelled key scheduled again is replaced by the add: no removal needed (nor wanted: it would race the add).
    const removals = [...this.cancelled].filter((k) => !this.jobs.has(k));
    await db.query(
      `with started as (
         insert into runs (id, flow_version_id, contact_id, vars, snapshot, status, version, ended_at)
         select n.id, n.flow_version_id, n.contact_id, n.vars, n.snapshot, n.status, n.version, case when n.status = 'active' then null else now() end
         from unnest($20::uuid[], $21::uuid[], $22::uuid[], $23::jsonb[], $24::jsonb[], $25::text[], $26::int[]) as n(id, flow_version_id, contact_id, vars, snapshot, status, version)),
       processed as (
         update run_events e set processed_at = now(), outcome = p.outcome
         from unnest($1::bigint[], $2::text[]) as p(id, outcome) where e.id = p.id),
       moves as (
         insert into run_steps (run_id, step, seq, event_id, event_type, from_node, to_node, at)
         select * from unnest($3::uuid[], $4::int[], $5::int[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
         on conflict (run_id, step, seq) do nothing),
       runs_ as (
         update runs r set snapshot = u.snapshot, status = u.status, version = u.version,
           ended_at = case when u.status = 'active' then null else coalesce(r.ended_at, now()) end
         from unnest($11::uuid[], $12::jsonb[], $13::text[], $14::int[]) as u(id, snapshot, status, version) where r.id = u.id),
       removed as (select graphile_worker.remove_job(k) from unnest($15::text[]) as k),
       added as (
         select graphile_worker.add_jobs(array_agg(row(j.task, j.payload, null::text, now() + make_interval(secs => j.delay / 1000), 10::smallint, j.key, null::smallint, null::text[])::graphile_worker.job_spec order by j.n))
         from unnest($16::text[], $17::json[], $18::text[], $19::double precision[]) with ordinality as j(task, payload, key, delay, n)
         having count(*) > 0)
       select (select count(*) from removed) as removed, (select count(*) from added) as added`,
      [
        this.processed.map((p) => p.id),
        this.processed.map((p) => p.outcome),
        this.moves.map((m) => m.runId),
        this.moves.map((m) => m.step),
        this.moves.map((m) => m.seq),
        this.moves.map((m) => m.eventId),
        this.moves.map((m) => m.move.event),
        this.moves.map((m) => m.move.from),
        this.moves.map((m) => m.move.to),
        this.moves.map((m) => m.at),
        runs.map(([id]) => id),
        runs.map(([, r]) => JSON.stringify(r.snapshot)),
        runs.map(([, r]) => r.status),
        runs.map(([, r]) => Math.max(r.version!, r.from.version + 1)),
        removals,
        jobs.map((j) => j.task),
        jobs.map((j) => JSON.stringify(j.payload)),
        jobs.map((j) => j.key),
        jobs.map((j) => j.delayMs),
        started.map((r) => r.id),
        started.map((r) => r.flowVersionId),
        started.map((r) => r.contactId),
        started.map((r) => JSON.stringify(r.vars)),
        started.map((r) => JSON.stringify(r.snapshot)),
        started.map((r) => r.status),
        started.map((r) => r.version),
      ],
    );
  }
}
