import { z } from 'zod';
import { isoTime } from '@/lib/http/openapi';
import { authenticate as processAuthenticate } from '@/lib/auth/request-actor';
import type { Authenticate } from '@/lib/access/roles';
import { contactBody, createContact } from '@/lib/contacts';
import { contactKeys, type Contact } from '@/lib/db/contact-repository';
import { endpoints, errorAnswer, jsonBody, jsonResponse } from '@/lib/http/endpoint';
import { contactFields } from '@/app/api/contacts/contact-responses';
import { uuidField } from '@/lib/fields';
import { json } from '@/lib/http/route';
import { cancelRun, eventBody, runBody, runStarts, runView } from '@/lib/runs';
import { contactFieldsView } from '@/lib/contacts/contact-view';
import { services, type Services } from '@/lib/runtime/services';

const runIdParams = z.object({ id: uuidField('run') });

function publicContact(c: Contact) {
  return { ...contactFieldsView(c), zip: c.zip ?? null, attributes: c.attributes };
}

const createdContact = z.object({
  contact: contactFields.extend({ zip: z.string().nullable(), attributes: z.record(z.string(), z.unknown()) }),
});
const startedRun = z.object({ run: z.object({ id: z.string(), flowId: z.string(), flowVersionId: z.string(), contactId: z.string() }) });
const scheduledRun = z.object({
  scheduled: z.object({ flowId: z.string(), contactId: z.string(), on: z.string(), at: isoTime }).meta({
    description: 'The trigger is a date: the run starts then.',
  }),
});
const runViewBody = z.object({
  run: z.object({
    id: z.string(),
    status: z.string(),
    flowId: z.string(),
    version: z.number().int(),
    flowVersionId: z.string(),
    contactId: z.string(),
    node: z.string().nullable(),
    stopReason: z.string().nullable(),
    startedAt: isoTime,
    endedAt: isoTime.nullable(),
  }),
  timeline: z.array(z.looseObject({ at: isoTime, kind: z.enum(['event', 'message']) })),
  payments: z.array(z.looseObject({ id: z.string(), status: z.string(), amountMinor: z.number().int(), currency: z.string() })),
});
const eventOutcome = z.object({
  duplicate: z.boolean().meta({ description: 'The `key` was seen before: nothing happened again.' }),
  started: z.array(z.object({ runId: z.string(), flowId: z.string() })),
  delivered: z.array(z.string()).meta({ description: 'The runs the event was handed to.' }),
});
const noRun = errorAnswer('There is no such run.');

/** The runtime's REST API: contacts, runs and events (ARCHITECTURE.md, "Storage and execution"). */
export function runtimeHandlers(get: () => Promise<Services> = services, authenticate: Authenticate = processAuthenticate) {
  const endpoint = endpoints({ authenticate });
  const keys = (s: Services) => contactKeys(s.env.appSecret);
  const starts = async () => {
    const s = await get();
    return runStarts({ pool: s.pool, keys: keys(s), engine: s.engine });
  };

  return {
    /** POST: a contact, with the evidence of their consent when given. */
    createContact: endpoint(
      {
        access: 'contacts.write',
        body: jsonBody(contactBody),
        doc: {
          id: 'createContact',
          summary: 'Add a contact',
          description: 'With the evidence of their consent when given (written to the consent ledger in the same transaction).',
          example: {
            phone: '+15551234567',
            name: 'Sam',
            zip: '94107',
            consent: {
              purpose: 'informational',
              source: 'web_form',
              channel: 'web',
              text: 'Text me about my appointments. Reply STOP to opt out.',
              at: '2026-12-01T15:00:00Z',
            },
          },
          responses: { 201: jsonResponse('The contact.', createdContact), 409: errorAnswer('A contact has this phone number already.') },
        },
      },
      async ({ actor, body }) => {
        const s = await get();
        const contact = await createContact(s.pool, keys(s), actor, body);
        return json({ contact: publicContact(contact) }, { status: 201 });
      },
    ),

    /** POST `{ flowId, contactId, vars }`: starts a run on the flow's active version. */
    startRun: endpoint(
      {
        access: 'runs.write',
        body: jsonBody(runBody),
        doc: {
          id: 'startRun',
          summary: 'Start a run',
          description:
            "Starts the flow's active version for a contact, with its variables; a flow triggered by a date schedules the run instead.",
          example: { flowId: 'pay-by-text', contactId: '8b0f7c9e-3a51-4d2b-9a55-0f0d5d1c2e3a', vars: { amount: 4250 } },
          responses: {
            201: jsonResponse('The run.', startedRun, {
              run: {
                id: '5f0c1c52-1f7e-4c1a-9a0e-2b7d6c3e8f10',
                flowId: 'pay-by-text',
                flowVersionId: '0b6f2a4e-8d1c-4e7a-b3f5-9c2d1e0a7b64',
                contactId: '8b0f7c9e-3a51-4d2b-9a55-0f0d5d1c2e3a',
              },
            }),
            202: jsonResponse("Scheduled for the trigger's date.", scheduledRun),
            404: errorAnswer('No such flow or contact, or the flow has no active version.'),
            409: errorAnswer("The engine refused: e.g. the contact has no consent for the flow's purpose."),
          },
        },
      },
      async ({ actor, body }) => {
        const run = await (await starts()).start(actor, body);
        if (run.scheduled)
          return json(
            { scheduled: { flowId: run.flowId, contactId: run.contactId, on: run.on, at: run.at.toISOString() } },
            { status: 202 },
          );
        return json(
          { run: { id: run.runId, flowId: run.flowId, flowVersionId: run.flowVersionId, contactId: run.contactId } },
          { status: 201 },
        );
      },
    ),

    /** GET: a run's state, its timeline (events in, texts out) and its payment links with their card checks (never a token or card data). */
    getRun: endpoint(
      {
        access: 'read',
        params: runIdParams,
        doc: {
          id: 'getRun',
          summary: 'Get a run',
          description:
            'Its state, its timeline (events in, texts out) and its payment links with their card checks (never a token or card data).',
          responses: { 200: jsonResponse('The run.', runViewBody), 404: noRun },
        },
      },
      async ({ params: { id } }) => {
        const s = await get();
        return json(await runView(s.pool, keys(s), id));
      },
    ),

    /** POST: ends an active run at once; nothing more is sent for it. */
    cancelRun: endpoint(
      {
        access: 'runs.write',
        params: runIdParams,
        doc: {
          id: 'cancelRun',
          summary: 'Cancel a run',
          description: 'Ends an active run at once; nothing more is sent for it.',
          responses: {
            200: jsonResponse('The stopped run.', z.object({ run: z.object({ id: z.string(), status: z.literal('stopped') }) })),
            404: noRun,
            409: errorAnswer('The run has already ended.'),
          },
        },
      },
      async ({ actor, params: { id } }) => {
        await cancelRun((await get()).pool, actor, id);
        return json({ run: { id, status: 'stopped' } });
      },
    ),

    /**
     * POST `{ contactId, name, data, key }`: something happened for a contact.
     * Starts a run of every active flow whose trigger is that event, and hands
     * the event to the contact's running flows. Once per `key`.
     */
    event: endpoint(
      {
        access: 'runs.write',
        body: jsonBody(eventBody),
        doc: {
          id: 'sendEvent',
          summary: 'Send an event for a contact',
          description:
            "Starts a run of every active flow whose trigger is the event, and hands the event to the contact's running flows. Once per `key`: a repeat is a 200 that changes nothing.",
          example: { contactId: '8b0f7c9e-3a51-4d2b-9a55-0f0d5d1c2e3a', name: 'invoice_created', data: { amount: 4250 }, key: 'inv-1042' },
          responses: {
            202: jsonResponse('What the event started and where it was delivered.', eventOutcome, {
              duplicate: false,
              started: [{ runId: '5f0c1c52-1f7e-4c1a-9a0e-2b7d6c3e8f10', flowId: 'pay-by-text' }],
              delivered: [],
            }),
            200: jsonResponse('A repeat of an event already received (`duplicate: true`).', eventOutcome),
          },
        },
      },
      async ({ actor, body }) => {
        const outcome = await (await starts()).receiveEvent(actor, body);
        return outcome.duplicate ? json(outcome) : json(outcome, { status: 202 });
      },
    ),
  };
}

export const handlers = runtimeHandlers();
