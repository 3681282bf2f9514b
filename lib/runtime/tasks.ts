import type { AnyEventObject } from 'xstate';
import type { Effect } from './interpret/step';

/** Jobs the engine runs on graphile-worker. */
export const TASKS = {
  advance: 'optline_advance_run',
  effect: 'optline_perform_effect',
  timer: 'optline_fire_timer',
  systemText: 'optline_send_system_text',
  scheduledStart: 'optline_start_scheduled_run',
  refund: 'optline_refund_payment',
  inbound: 'optline_receive_inbound',
  pruneInbound: 'optline_prune_inbound_texts',
  campaignEnrol: 'optline_enrol_campaign',
  campaignStart: 'optline_start_campaign_runs',
} as const;

/** A campaign's next enrolment batch, or its due runs to start (`TASKS.campaignEnrol`, `TASKS.campaignStart`). */
export interface CampaignJob {
  campaignId: string;
  /** A start batch's earliest moment on the engine's clock (ISO): the pace's next slice, queued behind the texts of the last. */
  notBefore?: string;
}

/** An effect to perform for a run (`TASKS.effect`). */
export interface EffectJob {
  runId: string;
  effect: Effect;
  /** Tries of its text the provider refused so far (`sendAgainLater`). */
  retries?: number;
}

/** A keyword reply to send (`TASKS.systemText`). */
export interface SystemTextJob {
  contactId: string;
  /** The run the text belongs to (a clarifying question asked during a run), if any. */
  runId?: string;
  body: string;
  effectId: string;
  /** Tries the provider refused so far (`sendAgainLater`). */
  retries?: number;
}

/** A timer firing (`TASKS.timer`): `step` tells a firing of an earlier arming from the current one. */
export interface TimerJob {
  runId: string;
  key: string;
  event: AnyEventObject;
  step: number;
}

/** A run to start on a flow's active version at its scheduled time (`TASKS.scheduledStart`). */
export interface ScheduledStartJob {
  flowId: string;
  contactId: string;
  vars: Record<string, unknown>;
}
