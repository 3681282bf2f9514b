/**
 * One value per process, made on first use: the database and the services
 * over it. Kept on `globalThis`, not in a module variable, because this
 * process loads our modules twice: once for the app server (server.ts, which
 * answers the webhooks itself) and once inside Next.js's server bundle, and
 * both must share one pool and one embedded Postgres. A failed attempt is
 * forgotten, so the next use tries again.
 */
const slots: Map<string, Promise<unknown>> = ((globalThis as { [key: symbol]: unknown })[Symbol.for('optline.processOnce')] ??=
  new Map()) as Map<string, Promise<unknown>>;

export function processOnce<T>(name: string, create: () => Promise<T>): Promise<T> {
  let value = slots.get(name) as Promise<T> | undefined;
  if (!value) {
    const made = create();
    value = made;
    slots.set(name, made);
    made.catch(() => {
      if (slots.get(name) === made) slots.delete(name);
    });
  }
  return value;
}

const values: Map<string, unknown> = ((globalThis as { [key: symbol]: unknown })[Symbol.for('optline.processValue')] ??= new Map()) as Map<
  string,
  unknown
>;

/** One value per process made at once on first use (no I/O: the sandbox clock), shared by both copies of our modules as processOnce's are. */
export function processValue<T>(name: string, create: () => T): T {
  if (!values.has(name)) values.set(name, create());
  return values.get(name) as T;
}
