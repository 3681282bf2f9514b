/**
 * Group commit for small writes that arrive many at once (webhooks): a write
 * that comes while `maxInFlight` batches are being committed waits for the
 * next batch and goes with the others in one statement, so a burst costs a
 * few commits instead of one each. A lone write goes at the end of the
 * event loop's turn: it waits for no timer. Each caller learns its own result only once its batch committed.
 *
 * Why: every job added to graphile-worker notifies the workers, and
 * Postgres commits notifying transactions one at a time (each holds the
 * notification queue's lock through its commit and WAL flush), so one
 * `add_job` per webhook caps the webhooks at one commit's latency each, in
 * a line. A batch pays that once.
 *
 * A batch that fails is tried again one write at a time, so one bad write
 * fails alone.
 */
/**
 * Per write of a batch, in order: whether it is the one that stored its key,
 * given the keys the batch's statement stored (`on conflict do nothing
 * returning key`). A key named twice in one batch (a webhook retried at once,
 * an effect claimed twice) is stored by its first write; the second is a
 * replay.
 */
export function storedByFirst(keys: readonly string[], stored: ReadonlySet<string>): boolean[] {
  const seen = new Set<string>();
  return keys.map((key) => {
    const first = stored.has(key) && !seen.has(key);
    seen.add(key);
    return first;
  });
}

export class GroupCommit<I, O> {
  private readonly waiting: { item: I; resolve: (o: O) => void; reject: (err: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  /** `write` commits the items and returns one result per item, in their order. */
  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Sends at the end of this turn of the event loop: the writes added in the
   * same turn (the callers a committed batch just answered, which add their
   * next write at once; the jobs a worker took together) go in one batch,
   * instead of the first going alone and the rest waiting for it.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.next();
    });
  }

  private next(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async commit(batch: typeof this.waiting): Promise<void> {
    try {
      const results = await this.write(batch.map((b) => b.item));
      if (results.length !== batch.length) throw new Error(`a group commit returned ${results.length} results for ${batch.length} writes`);
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      await Promise.all(
        batch.map(async (b) => {
          try {
            b.resolve((await this.write([b.item]))[0]!);
          } catch (one) {
            b.reject(one);
          }
        }),
      );
    }
  }
}
