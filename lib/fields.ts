import { z } from 'zod';

/** A UUID as Postgres prints it (any case): ids of runs, contacts and flow versions. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A calendar date (`2026-03-10`) that exists; `example` is the one the error shows. */
export function calendarDate(example: string) {
  return (
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `must be a date like ${example}` })
      // Checked whatever the pattern said (zod runs every check): a non-date must not reach toISOString, which throws.
      .refine(
        (d) => {
          const t = Date.parse(`${d}T00:00:00Z`);
          return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
        },
        { error: 'is not a real date' },
      )
  );
}

/** The id (a UUID) of a `what`: a contact, a run. */
export function uuidField(what: string) {
  return z.string({ error: `give the ${what} id` }).regex(UUID, { error: `is not a ${what} id (a UUID)` });
}
