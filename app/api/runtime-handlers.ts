import { randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { isUsState } from '../../lib/compliance/states';
import { isKnownZone } from '../../lib/compliance/local-time';
import { consentRepository } from '../../lib/db/consent-repository';
import { ContactExistsError, contactKeys, contactRepository, type Contact } from '../../lib/db/contact-repository';
import { messageRepository } from '../../lib/db/message-repository';
import { paymentRepository } from '../../lib/db/payment-repository';
import { withTransaction } from '../../lib/db/queryable';
import { runRepository } from '../../lib/db/run-repository';
import { nodeIdOfState } from '../../lib/flow/machine-events';
import { AppError } from '../../lib/http/app-error';
import { endpoints, jsonBody } from '../../lib/http/endpoint';
import { json } from '../../lib/http/route';
import { authenticate as processAuthenticate } from '../../lib/auth/request-actor';
import { actorRef, type Authenticate } from '../../lib/auth/roles';
import { recordAudit } from '../../lib/db/audit-repository';
import { EngineError } from '../../lib/runtime/engine';
import { services, type Services } from '../../lib/runtime/services';
import { UUID } from '../../lib/db/uuid';

const uuid = (what: string) => z.string({ error: `give the ${what} id` }).regex(UUID, { error: `is not a ${what} id (a UUID)` });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date like 1980-04-12' }).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { error: 'is not a real date' });

export const contactBody = z.strictObject({
  phone: z.string({ error: 'give the phone number' }).min(1, { error: 'give the phone number' }),
  name: z.string().max(200, { error: 'is longer than 200 characters' }).optional(),
  dateOfBirth: isoDate.optional(),
  zip: z.string().regex(/^\d{5}(-\d{4})?$/, { error: 'must be a US ZIP code like 60601' }).optional(),
  zone: z.string().refine(isKnownZone, { error: 'is not an IANA time zone like America/Chicago' }).optional(),
  state: z.string().refine((s) => /^[A-Za-z]{2}$/.test(s) && isUsState(s), { error: 'is not a two-letter US state code like IL' }).optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]), { error: 'must be an object of simple values' }).optional(),
  consent: z
    .strictObject({
      purpose: z.enum(['informational', 'marketing'], { error: 'must be informational or marketing' }),
      source: z.enum(['web_form', 'api', 'import', 'keyword', 'reply'], { error: 'must be web_form, api, import, keyword or reply' }),
      channel: z.enum(['sms', 'web', 'voice', 'paper', 'email', 'api'], { error: 'must be sms, web, voice, paper, email or api' }).optional(),
      text: z.string({ error: 'give the exact text the person agreed to' }).min(1, { error: 'give the exact text the person agreed to' }).max(2000),
      reply: z.string().max(1600).optional(),
      sourceRef: z.string().max(500).optional(),
      at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time like 2026-03-10T15:00:00Z' }),
    })
    .optional(),
});

export const runBody = z.strictObject({
  flowId: z.string({ error: 'give the flow id' }).min(1, { error: 'give the flow id' }),
  contactId: uuid('contact'),
  vars: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  /** For a flow that starts on a schedule: the contact's local date to start on (default: the next). */
  on: isoDate.optional(),
});

export const eventBody = z.strictObject({
  contactId: uuid('contact'),
  // As a flow's event trigger names it (FLOW_FORMAT.md): letters, digits and _.
  name: z.string({ error: 'name the event' }).regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'must be an event name like bill_issued (letters, digits and _)' }),
  data: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  key: z.string().min(1).max(200, { error: 'is longer than 200 characters' }).optional(),
});

const runIdParams = z.object({ id: uuid('run') });

function publicContact(c: Contact) {
  return { id: c.id, phone: c.phone, name: c.name ?? null, zip: c.zip ?? null, zone: c.zone ?? null, state: c.state ?? null, attributes: c.attributes, createdAt: c.createdAt.toISOString() };
}

function engineFailure(err: unknown): never {
  if (err instanceof EngineError) {
    const code = err.code === 'not-found' ? 'not_found' : err.code === 'version-not-active' ? 'conflict' : 'unprocessable';
    throw new AppError(code, err.message);
  }
  throw err;
}

/** The runtime's REST API: contacts, runs and events (ARCHITECTURE.md, "Storage and execution"). */
export function runtimeHandlers(get: () => Promise<Services> = services, authenticate: Authenticate = processAuthenticate) {
  const endpoint = endpoints({ authenticate });
  const contacts = (s: Services) => contactRepository(s.pool, contactKeys(s.env.appSecret));

  const activeVersionOf = async (s: Services, flowId: string): Promise<string> => {
    const { rows } = await s.pool.query(`select id from flow_versions where flow_id = $1 and status = 'active'`, [flowId]);
    if (rows[0]) return rows[0].id as string;
    const flow = await s.pool.query('select 1 from flows where id = $1', [flowId]);
    if (!flow.rowCount) throw new AppError('not_found', `flowId: there is no flow "${flowId}"`, { path: 'flowId' });
    throw new AppError('conflict', `flowId: flow "${flowId}" has no active version: activate it first`, { path: 'flowId' });
  };

  return {
    /** POST: a contact, with the evidence of their consent when given. */
    createContact: endpoint({ access: 'contacts.write', body: jsonBody(contactBody) }, async ({ actor, body }) => {
      const phone = parsePhoneNumberFromString(body.phone, 'US');
      if (!phone?.isValid()) throw new AppError('validation_failed', `phone: "${body.phone}" is not a valid phone number`, { path: 'phone' });
      const s = await get();
      const existing = await contacts(s).findContactByPhone(phone.number);
      if (existing) throw new AppError('conflict', `phone: ${phone.number} is already a contact (${existing.id})`, { path: 'phone' });
      const contact = await withTransaction(s.pool, async (tx) => {
        let created: Contact;
        try {
          created = await contactRepository(tx, contactKeys(s.env.appSecret)).createContact({
            phone: phone.number,
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.dateOfBirth !== undefined ? { dateOfBirth: body.dateOfBirth } : {}),
            ...(body.zip !== undefined ? { zip: body.zip } : {}),
            ...(body.zone !== undefined ? { zone: body.zone } : {}),
            ...(body.state !== undefined ? { state: body.state.toUpperCase() } : {}),
            ...(body.attributes !== undefined ? { attributes: body.attributes } : {}),
          });
        } catch (err) {
          if (err instanceof ContactExistsError) throw new AppError('conflict', `phone: ${phone.number} is already a contact (${err.contactId})`, { path: 'phone' });
          throw err;
        }
        if (body.consent) {
          const c = body.consent;
          await consentRepository(tx).appendConsentEvent({
            contactId: created.id, action: 'grant', purpose: c.purpose, source: c.source, channel: c.channel ?? (c.source === 'web_form' ? 'web' : 'api'),
            textShown: c.text, ...(c.reply ? { reply: c.reply } : {}), ...(c.sourceRef ? { sourceRef: c.sourceRef } : {}), recordedBy: actorRef(actor), occurredAt: new Date(c.at),
          });
        }
        await recordAudit(tx, { actor: actorRef(actor), action: 'contact.created', subjectType: 'contact', subjectId: created.id, details: body.consent ? { consent: { purpose: body.consent.purpose, source: body.consent.source } } : {} });
        return created;
      });
      return json({ contact: publicContact(contact) }, { status: 201 });
    }),

    /** POST `{ flowId, contactId, vars }`: starts a run on the flow's active version. */
    startRun: endpoint({ access: 'runs.write', body: jsonBody(runBody) }, async ({ actor, body }) => {
      const s = await get();
      const flowVersionId = await activeVersionOf(s, body.flowId);
      const { rows } = await s.pool.query(`select content->'nodes' @> '[{"type":"trigger","data":{"kind":"schedule"}}]'::jsonb as scheduled from flow_versions where id = $1`, [flowVersionId]);
      if (rows[0].scheduled) {
        const { on, at } = await s.engine.scheduleRun({ flowId: body.flowId, contactId: body.contactId, vars: body.vars ?? {}, ...(body.on ? { on: body.on } : {}) }).catch(engineFailure);
        return json({ scheduled: { flowId: body.flowId, contactId: body.contactId, on, at: at.toISOString() } }, { status: 202 });
      }
      if (body.on) throw new AppError('validation_failed', `on: flow "${body.flowId}" does not start on a schedule; leave out "on"`, { path: 'on' });
      const { runId } = await s.engine.startRun({ flowVersionId, contactId: body.contactId, vars: body.vars ?? {} }).catch(engineFailure);
      await recordAudit(s.pool, { actor: actorRef(actor), action: 'run.started', subjectType: 'run', subjectId: runId, details: { flowId: body.flowId, flowVersionId, contactId: body.contactId } });
      return json({ run: { id: runId, flowId: body.flowId, flowVersionId, contactId: body.contactId } }, { status: 201 });
    }),

    /** GET: a run's state, its timeline (events in, texts out) and its payment links with their card checks (never a token or card data). */
    getRun: endpoint({ access: 'read', params: runIdParams }, async ({ params: { id } }) => {
      const s = await get();
      const run = await runRepository(s.pool).getRun(id);
      if (!run) throw new AppError('not_found', `there is no run ${id}`, { path: 'id' });
      const { rows: meta } = await s.pool.query(
        `select r.stop_reason, r.created_at, r.ended_at, v.flow_id, v.version from runs r join flow_versions v on v.id = r.flow_version_id where r.id = $1`,
        [id],
      );
      const { rows: events } = await s.pool.query('select kind, payload, received_at, processed_at, outcome from run_events where run_id = $1 order by id', [id]);
      const messages = await messageRepository(s.pool).listForRun(id);
      const payments = (await paymentRepository(s.pool).ofRun(id)).map((p) => ({
        id: p.id, status: p.status, amountMinor: p.amountMinor, currency: p.currency, description: p.description,
        createdAt: p.createdAt.toISOString(), expiresAt: p.expiresAt.toISOString(), paidAt: p.paidAt?.toISOString() ?? null,
        failureReason: p.failureReason, cardChecks: p.cardChecks,
      }));
      const timeline = [
        ...events.map((e) => ({ at: (e.received_at as Date).toISOString(), kind: 'event' as const, source: e.kind as string, event: (e.payload as { event?: { type?: string } }).event?.type ?? null, outcome: (e.outcome as string | null) ?? 'pending' })),
        ...messages.map((m) => ({ at: m.createdAt.toISOString(), kind: 'message' as const, direction: m.direction, body: m.body, status: m.status, ...(m.error ? { error: m.error } : {}) })),
      ].sort((a, b) => a.at.localeCompare(b.at));
      const snapshot = run.snapshot as { value?: unknown };
      return json({
        run: {
          id: run.id, status: run.status, flowId: meta[0].flow_id, version: meta[0].version, flowVersionId: run.flowVersionId, contactId: run.contactId,
          node: run.status === 'active' && snapshot.value !== undefined ? nodeIdOfState(snapshot.value as never) : null,
          stopReason: meta[0].stop_reason, startedAt: (meta[0].created_at as Date).toISOString(), endedAt: meta[0].ended_at ? (meta[0].ended_at as Date).toISOString() : null,
        },
        timeline,
        payments,
      });
    }),

    /** POST: ends an active run at once; nothing more is sent for it. */
    cancelRun: endpoint({ access: 'runs.write', params: runIdParams }, async ({ actor, params: { id } }) => {
      const s = await get();
      const outcome = await withTransaction(s.pool, async (tx) => {
        const runs = runRepository(tx);
        const run = await runs.lockRun(id);
        if (!run) return 'missing' as const;
        if (run.status !== 'active') return run.status;
        await runs.saveStep(id, run.snapshot, 'stopped', `cancelled by ${actor.name}`);
        await recordAudit(tx, { actor: actorRef(actor), action: 'run.cancelled', subjectType: 'run', subjectId: id, details: {} });
        return 'cancelled' as const;
      });
      if (outcome === 'missing') throw new AppError('not_found', `there is no run ${id}`, { path: 'id' });
      if (outcome !== 'cancelled') throw new AppError('conflict', `run ${id} has already ended (${outcome})`);
      return json({ run: { id, status: 'stopped' } });
    }),

    /**
     * POST `{ contactId, name, data, key }`: something happened for a contact.
     * Starts a run of every active flow whose trigger is that event, and hands
     * the event to the contact's running flows. Once per `key`.
     */
    event: endpoint({ access: 'runs.write', body: jsonBody(eventBody) }, async ({ actor, body }) => {
      const s = await get();
      const contact = await contacts(s).getContact(body.contactId);
      if (!contact) throw new AppError('not_found', `contactId: there is no contact ${body.contactId}`, { path: 'contactId' });
      const key = body.key ?? randomUUID();
      const event = { type: body.name, data: body.data ?? {} };
      const fresh = await runRepository(s.pool).addInboxEvent({ key: `event:${key}`, kind: 'api', contactId: contact.id, event });
      if (!fresh) return json({ duplicate: true, started: [], delivered: [] });
      const { rows: versions } = await s.pool.query(
        `select id, flow_id from flow_versions where status = 'active' and content->'nodes' @> $1::jsonb`,
        [JSON.stringify([{ type: 'trigger', data: { kind: 'event', event: body.name } }])],
      );
      const started: { runId: string; flowId: string }[] = [];
      for (const v of versions) {
        const { runId } = await s.engine.startRun({ flowVersionId: v.id as string, contactId: contact.id, vars: body.data ?? {} }).catch(engineFailure);
        started.push({ runId, flowId: v.flow_id as string });
      }
      const startedIds = new Set(started.map((r) => r.runId));
      const running = (await runRepository(s.pool).activeRunsOf(contact.id)).filter((r) => !startedIds.has(r.id));
      await withTransaction(s.pool, async (tx) => {
        for (const run of running) await s.engine.deliverEvent(tx, run.id, event, `event:${key}:${run.id}`, 'api');
        await tx.query(`update run_events set processed_at = now(), outcome = $2 where idempotency_key = $1`, [`event:${key}`, `started ${started.length}, delivered ${running.length}`]);
      });
      await recordAudit(s.pool, { actor: actorRef(actor), action: 'event.received', subjectType: 'contact', subjectId: contact.id, details: { name: body.name, key, started: started.length, delivered: running.length } });
      return json({ duplicate: false, started, delivered: running.map((r) => r.id) }, { status: 202 });
    }),
  };
}

export const handlers = runtimeHandlers();
