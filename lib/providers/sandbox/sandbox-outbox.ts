/** An outbound text as the sandbox stores it instead of sending it. */
export interface SandboxOutboundMessage {
  /** SB…: derived from the effect id, so the same effect always has the same id. */
  providerId: string;
  effectId: string;
  /** E.164. */
  to: string;
  /** The sandbox's own number. */
  from: string;
  body: string;
  statusCallbackUrl?: string;
  createdAt: Date;
}

/**
 * Where the sandbox puts outbound texts: the phone simulator and the API list
 * them. The runtime provides a database-backed one; `InMemorySandboxOutbox`
 * serves the browser simulator and tests.
 */
export interface SandboxOutbox {
  /**
   * Stores a message. Idempotent on `providerId`: recording an id that is
   * already stored (a concurrent or repeated send of one effect) stores
   * nothing and returns the first record's id — in a database, a unique
   * constraint on the provider id.
   */
  record(msg: SandboxOutboundMessage): Promise<{ id: string }>;
  /** The message stored under `providerId`, if any. */
  find(providerId: string): Promise<SandboxOutboundMessage | undefined>;
}

/** A process-local outbox: for the browser simulator and tests. */
export class InMemorySandboxOutbox implements SandboxOutbox {
  private readonly byProviderId = new Map<string, { id: string; msg: SandboxOutboundMessage }>();

  async record(msg: SandboxOutboundMessage): Promise<{ id: string }> {
    const existing = this.byProviderId.get(msg.providerId);
    if (existing) return { id: existing.id };
    const id = `out_${this.byProviderId.size + 1}`;
    this.byProviderId.set(msg.providerId, { id, msg: { ...msg } });
    return { id };
  }

  async find(providerId: string): Promise<SandboxOutboundMessage | undefined> {
    const found = this.byProviderId.get(providerId);
    return found && { ...found.msg };
  }

  /** Every stored message in the order it was recorded, optionally only those to one number. */
  list(to?: string): SandboxOutboundMessage[] {
    return [...this.byProviderId.values()].map((r) => ({ ...r.msg })).filter((m) => to === undefined || m.to === to);
  }
}
