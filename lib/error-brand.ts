/**
 * `instanceof` for our error classes across copies of a module. The app
 * server loads lib/ once through Node and Next.js bundles it again, and the
 * process's services (shared through `globalThis`) throw errors of the
 * first copy into route code of the second: a plain `instanceof` there is
 * false, and a forged webhook or an unknown contact became a 500. A class
 * calls `brandError(this, name)` in its constructor and answers
 * `instanceof` with `hasErrorBrand(value, name)`.
 */

const key = (name: string) => Symbol.for(`optline.error.${name}`);

/** Marks an error as an instance of the class called `name`, in every copy of it. */
export function brandError(error: Error, name: string): void {
  Object.defineProperty(error, key(name), { value: true, enumerable: false });
}

/** Whether a value was made by the class called `name`, in any copy of its module. */
export function hasErrorBrand(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[key(name)] === true;
}
