/**
 * At most `max` calls in flight; the others wait their turn, first come first
 * served. For a provider that refuses more concurrent requests than its
 * account allows (Twilio answers 429 beyond its concurrency limit), while a
 * worker runs hundreds of jobs at once.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`a concurrency limit must be a whole number of at least 1, not ${max}`);
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await call();
    } finally {
      // The slot passes straight to the next caller, so a newcomer cannot take it first.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
