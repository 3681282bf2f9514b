import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { actorRef, type Actor } from '@/lib/access/roles';
import { recordAudit } from '@/lib/db/audit-repository';
import { contactRepository, type ContactKeys } from '@/lib/db/contact-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { withTransaction } from '@/lib/db/queryable';
import { runRepository } from '@/lib/db/run-repository';
import { AppError } from '@/lib/app-error';
import { EngineError, type FlowEngine } from '@/lib/runtime/engine';
import type { ContactEvent, RunStart } from './run-bodies';

/** What starting runs needs: the database, the contacts' keys and the engine. */
export interface RunDeps {
  pool: pg.Pool;
  keys: ContactKeys;
  engine: FlowEngine;
}

/** A run started now, or one scheduled for the contact's next (or given) start date. */
export type StartedRun =
  | { scheduled: false; runId: string; flowId: string; flowVersionId: string; contactId: string }
  | { scheduled: true; flowId: string; contactId: string; on: string; at: Date };

/** What came of an event: the runs it started and the running ones it reached; nothing when its key was seen before. */
export interface EventOutcome {
  duplicate: boolean;
  started: { runId: string; flowId: string }[];
  delivered: string[];
}

/** The engine's refusals as AppErrors. */
export function engineFailure(err: unknown): never {
  if (err instanceof EngineError) {
    const code = err.code === 'not-found' ? 'not_found' : err.code === 'version-not-active' ? 'conflict' : 'unprocessable';
    throw new AppError(code, err.message);
  }
  throw err;
}

/** Run starts by API (one flow, one contact) and by event (every flow the event triggers); errors are AppErrors. */
export function runStarts(deps: RunDeps) {
  const { pool, engine } = deps;

  const activeVersionOf = async (flowId: string): Promise<string> => {
    const flows = flowRepository(pool);
    const id = await flows.activeVersionId(flowId);
    if (id) return id;
    if (!(await flows.getFlow(flowId))) throw new AppError('not_found', `flowId: there is no flow "${flowId}"`, { path: 'flowId' });
    throw new AppError('conflict', `flowId: flow "${flowId}" has no active version: activate it first`, { path: 'flowId' });
  };

  return {
    /** Starts a run on the flow's active version, or schedules it when the flow starts on a schedule. */
    async start(actor: Actor, input: RunStart): Promise<StartedRun> {
      const { flowId, contactId } = input;
      const flowVersionId = await activeVersionOf(flowId);
      if (await flowRepository(pool).startsOnSchedule(flowVersionId)) {
        const { on, at } = await engine
          .scheduleRun({ flowId, contactId, vars: input.vars ?? {}, ...(input.on ? { on: input.on } : {}) })
          .catch(engineFailure);
        return { scheduled: true, flowId, contactId, on, at };
      }
      if (input.on)
        throw new AppError('validation_failed', `on: flow "${flowId}" does not start on a schedule; leave out "on"`, { path: 'on' });
      const { runId } = await engine.startRun({ flowVersionId, contactId, vars: input.vars ?? {} }).catch(engineFailure);
      await recordAudit(pool, {
        actor: actorRef(actor),
        action: 'run.started',
        subjectType: 'run',
        subjectId: runId,
        details: { flowId, flowVersionId, contactId },
      });
      return { scheduled: false, runId, flowId, flowVersionId, contactId };
    },

    /**
     * Something happened for a contact: starts a run of every active flow
     * whose trigger is that event, and hands the event to the contact's
     * running flows. Once per `key`.
     */
    async receiveEvent(actor: Actor, input: ContactEvent): Promise<EventOutcome> {
      const contact = await contactRepository(pool, deps.keys).getContact(input.contactId);
      if (!contact) throw new AppError('not_found', `contactId: there is no contact ${input.contactId}`, { path: 'contactId' });
      const key = input.key ?? randomUUID();
      const event = { type: input.name, data: input.data ?? {} };
      const runs = runRepository(pool);
      const fresh = await runs.addInboxEvent({ key: `event:${key}`, kind: 'api', contactId: contact.id, event });
      if (!fresh) return { duplicate: true, started: [], delivered: [] };
      const started: { runId: string; flowId: string }[] = [];
      for (const v of await flowRepository(pool).activeVersionsTriggeredBy(input.name)) {
        const { runId } = await engine
          .startRun({ flowVersionId: v.id, contactId: contact.id, vars: input.data ?? {} })
          .catch(engineFailure);
        started.push({ runId, flowId: v.flowId });
      }
      const startedIds = new Set(started.map((r) => r.runId));
      const running = (await runs.activeRunsOf(contact.id)).filter((r) => !startedIds.has(r.id));
      await withTransaction(pool, async (tx) => {
        for (const run of running) await engine.deliverEvent(tx, run.id, event, `event:${key}:${run.id}`, 'api');
        await runRepository(tx).markInboxEventProcessed(`event:${key}`, `started ${started.length}, delivered ${running.length}`);
      });
      await recordAudit(pool, {
        actor: actorRef(actor),
        action: 'event.received',
        subjectType: 'contact',
        subjectId: contact.id,
        details: { name: input.name, key, started: started.length, delivered: running.length },
      });
      return { duplicate: false, started, delivered: running.map((r) => r.id) };
    },
  };
}

export type RunStarts = ReturnType<typeof runStarts>;
