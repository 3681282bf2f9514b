import type { Queryable } from '@/lib/db/queryable';
import { flowRepository } from '@/lib/db/flow-repository';
import { reviewRepository } from '@/lib/db/review-repository';
import { createFlowMachine, type FlowMachine } from '@/lib/flow/compile';
import { parseFlow } from '@/lib/flow/parse';
import type { FlowDocument } from '@/lib/flow/schema';
import { checkTemplate } from '@/lib/flow/templates';
import { AppError } from '@/lib/app-error';
import { approvalVerdict, type GateVerdict } from './approval-gate';
import { EngineError } from './engine-error';

/** A version as the runtime steps it. */
export interface LoadedVersion {
  flow: FlowDocument;
  machine: FlowMachine;
  /** Whether a step reads the contact (`machineReadsContact`): only then is the contact record read to step a run. */
  readsContact: boolean;
}

/**
 * Versions compiled once each (machine creation is costly for big flows) and
 * their approval verdicts, remembered per version, approval and
 * stored-content fingerprint, so a run start re-analyzes only when one of
 * them changed.
 */
export class VersionCache {
  private readonly machines = new Map<string, Promise<LoadedVersion>>();
  private readonly verdicts = new Map<string, Promise<GateVerdict>>();

  /** Refuses a version whose approval binding no longer holds (approval-gate.ts). */
  async assertApproved(db: Queryable, flowVersionId: string, fingerprint: string): Promise<void> {
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

  /** A version's flow and machine; `db` is the connection to read it on (a caller's transaction reads on its own connection). */
  load(db: Queryable, flowVersionId: string): Promise<LoadedVersion> {
    let loaded = this.machines.get(flowVersionId);
    if (!loaded) {
      loaded = (async () => {
        const version = await flowRepository(db).getVersion(flowVersionId);
        const parsed = parseFlow(version?.content);
        if (!parsed.ok)
          throw new EngineError('not-found', `version ${flowVersionId} does not hold a valid flow: ${parsed.problems[0]?.message}`);
        return { flow: parsed.flow, machine: createFlowMachine(parsed.flow), readsContact: machineReadsContact(parsed.flow) };
      })();
      loaded.catch(() => this.machines.delete(flowVersionId));
      this.machines.set(flowVersionId, loaded);
    }
    return loaded;
  }
}

/**
 * Whether the machine itself reads the contact: a `variable.set` template
 * naming `contact` (or one that does not parse, to be safe). Sends read the
 * contact anyway; a step of any other flow needs no look-up.
 */
function machineReadsContact(flow: FlowDocument): boolean {
  return flow.nodes.some(
    (n) =>
      n.type === 'variable.set' &&
      Object.values(n.data.assign).some((t) => {
        const check = checkTemplate(t);
        return !check.ok || check.variables.some((segs) => segs[0] === 'contact');
      }),
  );
}
