/**
 * A parameterised `where` built one condition at a time, for list queries
 * with optional filters: each `?` in a condition becomes the next `$n`, and
 * the values stay parameters (never concatenated into the SQL).
 */
export function sqlFilter() {
  const conditions: string[] = [];
  const values: unknown[] = [];
  return {
    values,
    /** Adds a condition with one `?` standing for `value`. */
    add(sql: string, value: unknown): void {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    },
    /** A parameter after the conditions' (e.g. the limit), as its `$n`. */
    param(value: unknown): string {
      values.push(value);
      return `$${values.length}`;
    },
    /** `where a and b`, or '' when no condition was added. */
    where(): string {
      return conditions.length ? `where ${conditions.join(' and ')}` : '';
    },
  };
}
