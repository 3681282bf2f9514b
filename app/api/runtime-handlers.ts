import { z } from 'zod';
import { authenticate as processAuthenticate } from '@/lib/auth/request-actor';
import type { Authenticate } from '@/lib/access/roles';
import { contactBody, createContact } from '@/lib/contacts';
import { contactKeys, type Contact } from '@/lib/db/contact-repository';
import { endpoints, jsonBody } from '@/lib/http/endpoint';
import { uuidField } from '@/lib/fields';
import { json } from '@/lib/http/route';
import { cancelRun, eventBody, runBody, runStarts, runView } from '@/lib/runs';
import { contactFieldsView } from '@/lib/contacts/contact-view';
import { services, type Services } from '@/lib/runtime/services';

const runIdParams = z.object({ id: uuidField('run') });

function publicContact(c: Contact) {
  return { ...contactFieldsView(c), zip: c.zip ?? null, attributes: c.attributes };
}

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
    createContact: endpoint({ access: 'contacts.write', body: jsonBody(contactBody) }, async ({ actor, body }) => {
      const s = await get();
      const contact = await createContact(s.pool, keys(s), actor, body);
      return json({ contact: publicContact(contact) }, { status: 201 });
    }),

    /** POST `{ flowId, contactId, vars }`: starts a run on the flow's active version. */
    startRun: endpoint({ access: 'runs.write', body: jsonBody(runBody) }, async ({ actor, body }) => {
      const run = await (await starts()).start(actor, body);
      if (run.scheduled)
        return json({ scheduled: { flowId: run.flowId, contactId: run.contactId, on: run.on, at: run.at.toISOString() } }, { status: 202 });
      return json(
        { run: { id: run.runId, flowId: run.flowId, flowVersionId: run.flowVersionId, contactId: run.contactId } },
        { status: 201 },
      );
    }),

    /** GET: a run's state, its timeline (events in, texts out) and its payment links with their card checks (never a token or card data). */
    getRun: endpoint({ access: 'read', params: runIdParams }, async ({ params: { id } }) => {
      const s = await get();
      return json(await runView(s.pool, keys(s), id));
    }),

    /** POST: ends an active run at once; nothing more is sent for it. */
    cancelRun: endpoint({ access: 'runs.write', params: runIdParams }, async ({ actor, params: { id } }) => {
      await cancelRun((await get()).pool, actor, id);
      return json({ run: { id, status: 'stopped' } });
    }),

    /**
     * POST `{ contactId, name, data, key }`: something happened for a contact.
     * Starts a run of every active flow whose trigger is that event, and hands
     * the event to the contact's running flows. Once per `key`.
     */
    event: endpoint({ access: 'runs.write', body: jsonBody(eventBody) }, async ({ actor, body }) => {
      const outcome = await (await starts()).receiveEvent(actor, body);
      return outcome.duplicate ? json(outcome) : json(outcome, { status: 202 });
    }),
  };
}

export const handlers = runtimeHandlers();
