import { z } from 'zod';
import { calendarDate, uuidField } from '@/lib/fields';

/** The body of POST /api/runs. */
export const runBody = z.strictObject({
  flowId: z.string({ error: 'give the flow id' }).min(1, { error: 'give the flow id' }),
  contactId: uuidField('contact'),
  vars: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  /** For a flow that starts on a schedule: the contact's local date to start on (default: the next). */
  on: calendarDate('1980-04-12').optional(),
});

export type RunStart = z.infer<typeof runBody>;

/** The body of POST /api/events. */
export const eventBody = z.strictObject({
  contactId: uuidField('contact'),
  // As a flow's event trigger names it (FLOW_FORMAT.md): letters, digits and _.
  name: z
    .string({ error: 'name the event' })
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'must be an event name like bill_issued (letters, digits and _)' }),
  data: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  key: z.string().min(1).max(200, { error: 'is longer than 200 characters' }).optional(),
});

export type ContactEvent = z.infer<typeof eventBody>;
