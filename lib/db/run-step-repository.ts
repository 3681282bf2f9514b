import type { Queryable } from './queryable';

/** One move of a run from node to node (see lib/runtime/step.ts, `NodeMove`). */
export interface RecordedMove {
  from: string | null;
  to: string;
  event: string;
}

/** What the engine records for the run inspector: the sends the guard held back (the path a run took is written with its steps, `StepWrites`). */
export function runStepRepository(db: Queryable) {
  return {
    /** A send the guard deferred: until when and why (once per effect and instant). */
    async recordDeferral(input: { runId: string | null; effectId: string; until: Date; reason: string; at: Date }): Promise<void> {
      await db.query(
        `insert into send_deferrals (run_id, effect_id, until, reason, decided_at) values ($1, $2, $3, $4, $5)
         on conflict (effect_id, until) do nothing`,
        [input.runId, input.effectId, input.until, input.reason, input.at],
      );
    },
  };
}
