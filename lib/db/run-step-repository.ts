import type { Queryable } from './queryable';

/** One move of a run from node to node (see lib/runtime/step.ts, `NodeMove`). */
export interface RecordedMove {
  from: string | null;
  to: string;
  event: string;
}

/** What the engine records for the run inspector: the path a run took and the sends the guard held back. */
export function runStepRepository(db: Queryable) {
  return {
    /** The moves of one step, in order, at the engine's clock; once per step (a replayed step adds nothing). */
    async recordMoves(input: { runId: string; step: number; eventId: string | null; moves: readonly RecordedMove[]; at: Date }): Promise<void> {
      if (input.moves.length === 0) return;
      await db.query(
        `insert into run_steps (run_id, step, seq, event_id, event_type, from_node, to_node, at)
         select $1, $2, m.n - 1, $3, m.event, m.from_node, m.to_node, $7
         from unnest($4::text[], $5::text[], $6::text[]) with ordinality as m(event, from_node, to_node, n)
         on conflict (run_id, step, seq) do nothing`,
        [input.runId, input.step, input.eventId, input.moves.map((m) => m.event), input.moves.map((m) => m.from), input.moves.map((m) => m.to), input.at],
      );
    },

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
