import { z } from 'zod';
import { UUID } from '@/lib/db/uuid';

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
