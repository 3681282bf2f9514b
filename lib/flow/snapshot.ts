import type { FlowContext } from './machine-events';

/** A run's context as stored: the machine's, without the contact's fields (`withoutContact` in lib/runtime/interpret/step.ts). */
export type StoredContext = Omit<FlowContext, 'contact'> & { contact?: FlowContext['contact'] };

/** The part of a machine snapshot that is stored: our machines have no child actors or history states. */
export interface StoredSnapshot {
  /** The state value: a node id, or `{ nodeId: subState }` for nodes with sub-states. */
  value: string | Record<string, unknown>;
  status: 'active' | 'done' | 'error' | 'stopped';
  context: StoredContext;
}
