'use client';

import { useState, type FormEvent } from 'react';
import { OUTBOUND_EVENT_DESCRIPTIONS, OUTBOUND_EVENT_TYPES, type OutboundEventType } from '@/lib/outbound-events/event-types';
import { fieldErrors } from '@/components/ui/api';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorText } from '@/components/ui/error-text';
import { FormField } from '@/components/ui/form-field';
import { LocalTime } from '@/components/ui/local-time';
import { useApiRequest } from '@/components/ui/use-api-request';
import styles from './admin.module.css';

/** An outbound webhook endpoint as the API answers it (dates as ISO strings). */
export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string;
  eventTypes: OutboundEventType[];
  includePhone: boolean;
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
  deliveries?: { pending: number; delivered: number; failed: number };
}

/** One line of an endpoint's delivery log. */
interface DeliveryRow {
  id: string;
  eventId: string;
  eventType: OutboundEventType;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  createdAt: string;
}

/**
 * Settings → Outbound webhooks: register an endpoint (URL, events, whether
 * payloads may carry the phone number; the signing secret shown once),
 * switch it off and on, rotate its secret, delete it, read its delivery log
 * and send a delivery again.
 */
export function WebhooksPanel({ initial }: { initial: WebhookEndpointRow[] }) {
  const [endpoints, setEndpoints] = useState(initial);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [log, setLog] = useState<{ endpoint: WebhookEndpointRow; deliveries: DeliveryRow[] } | null>(null);
  const { error, request } = useApiRequest();
  const errors = fieldErrors(error);

  const replace = (e: WebhookEndpointRow) => setEndpoints((list) => list.map((x) => (x.id === e.id ? { ...x, ...e } : x)));

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const created = await request<{ endpoint: WebhookEndpointRow; secret: string }>('/api/webhook-endpoints', {
      method: 'POST',
      json: {
        url: String(form.get('url')),
        description: String(form.get('description') ?? ''),
        eventTypes: form.getAll('eventTypes').map(String),
        includePhone: form.get('includePhone') === 'on',
      },
    });
    if (!created) return;
    setSecret({ url: created.endpoint.url, secret: created.secret });
    setEndpoints((list) => [...list, { ...created.endpoint, deliveries: { pending: 0, delivered: 0, failed: 0 } }]);
    formEl.reset();
  }

  async function setEnabled(endpoint: WebhookEndpointRow, enabled: boolean) {
    const changed = await request<{ endpoint: WebhookEndpointRow }>(`/api/webhook-endpoints/${endpoint.id}`, {
      method: 'PATCH',
      json: { enabled },
    });
    if (changed) replace(changed.endpoint);
  }

  async function rotate(endpoint: WebhookEndpointRow) {
    if (!window.confirm('Rotate the signing secret? The old secret stops signing at once: update your receiver right away.')) return;
    const rotated = await request<{ endpoint: WebhookEndpointRow; secret: string }>(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`, {
      method: 'POST',
    });
    if (rotated) setSecret({ url: endpoint.url, secret: rotated.secret });
  }

  async function remove(endpoint: WebhookEndpointRow) {
    if (!window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) return;
    const deleted = await request<{ deleted: true }>(`/api/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' });
    if (!deleted) return;
    setEndpoints((list) => list.filter((x) => x.id !== endpoint.id));
    if (log?.endpoint.id === endpoint.id) setLog(null);
  }

  async function showLog(endpoint: WebhookEndpointRow) {
    const got = await request<{ deliveries: DeliveryRow[] }>(`/api/webhook-endpoints/${endpoint.id}/deliveries?limit=100`);
    if (got) setLog({ endpoint, deliveries: got.deliveries });
  }

  async function redeliver(delivery: DeliveryRow) {
    if (!log) return;
    const again = await request<{ delivery: DeliveryRow }>(
      `/api/webhook-endpoints/${log.endpoint.id}/deliveries/${delivery.id}/redeliver`,
      {
        method: 'POST',
      },
    );
    if (again) setLog({ ...log, deliveries: [again.delivery, ...log.deliveries] });
  }

  const columns: Column<WebhookEndpointRow>[] = [
    {
      header: 'Endpoint',
      cell: (e) => (
        <>
          <code>{e.url}</code>
          {e.description && <div className="muted">{e.description}</div>}
        </>
      ),
    },
    { header: 'Events', cell: (e) => e.eventTypes.join(', ') },
    { header: 'Phone number', cell: (e) => (e.includePhone ? 'included' : 'not sent') },
    {
      header: 'Status',
      cell: (e) =>
        e.enabled ? (
          'on'
        ) : (
          <span data-testid="webhook-status-off">
            <strong>off</strong>
            {e.disabledReason && <div className="muted">{e.disabledReason}</div>}
          </span>
        ),
    },
    {
      header: 'Deliveries',
      cell: (e) =>
        e.deliveries ? `${e.deliveries.delivered} delivered · ${e.deliveries.pending} waiting · ${e.deliveries.failed} failed` : '',
    },
    {
      header: 'Actions',
      hiddenHeader: true,
      cell: (e) => (
        <span className={styles.row}>
          <button type="button" className="btn btn-small" onClick={() => showLog(e)}>
            Delivery log <span className="visually-hidden">of {e.url}</span>
          </button>
          <button type="button" className="btn btn-small" onClick={() => setEnabled(e, !e.enabled)}>
            {e.enabled ? 'Switch off' : 'Switch on'} <span className="visually-hidden">{e.url}</span>
          </button>
          <button type="button" className="btn btn-small" onClick={() => rotate(e)}>
            Rotate secret <span className="visually-hidden">of {e.url}</span>
          </button>
          <button type="button" className="btn btn-small btn-danger" onClick={() => remove(e)}>
            Delete <span className="visually-hidden">{e.url}</span>
          </button>
        </span>
      ),
    },
  ];

  const logColumns: Column<DeliveryRow>[] = [
    { header: 'Event', cell: (d) => d.eventType },
    { header: 'Status', cell: (d) => d.status },
    { header: 'Tries', cell: (d) => d.attempts },
    { header: 'Response', cell: (d) => d.lastStatusCode ?? d.lastError ?? <span className="muted">not tried yet</span> },
    { header: 'Latency', cell: (d) => (d.lastLatencyMs === null ? '' : `${d.lastLatencyMs} ms`) },
    {
      header: 'Next try',
      cell: (d) =>
        d.status !== 'pending' ? <span className="muted">none</span> : d.nextAttemptAt ? <LocalTime iso={d.nextAttemptAt} /> : 'now',
    },
    { header: 'Created', cell: (d) => <LocalTime iso={d.createdAt} /> },
    {
      header: 'Actions',
      hiddenHeader: true,
      cell: (d) => (
        <button type="button" className="btn btn-small" onClick={() => redeliver(d)}>
          Send again <span className="visually-hidden">{d.eventType}</span>
        </button>
      ),
    },
  ];

  return (
    <div>
      <p>
        Optline posts each event you choose to your endpoint, signed per the Standard Webhooks specification with the endpoint&apos;s
        secret, and tries a failed delivery again for 3 days (a run&apos;s events in order). An endpoint that fails for 3 days is switched
        off. Payloads carry ids and outcomes, and the contact&apos;s phone number only where you allow it.
      </p>
      <form className={styles.grid} onSubmit={create} aria-label="New webhook endpoint">
        <FormField
          label="Endpoint URL"
          hint="https:// and reachable from the internet."
          errors={errors.url}
          name="url"
          type="url"
          required
          maxLength={2048}
        />
        <FormField
          label="Description"
          hint="What receives it, e.g. “CRM”."
          errors={errors.description}
          name="description"
          maxLength={500}
        />
        <fieldset className={styles.checks}>
          <legend className="field-label">Events</legend>
          {OUTBOUND_EVENT_TYPES.map((t) => (
            <label key={t} title={OUTBOUND_EVENT_DESCRIPTIONS[t]}>
              <input type="checkbox" name="eventTypes" value={t} /> <code>{t}</code>
            </label>
          ))}
        </fieldset>
        {errors.eventTypes && <p className="field-error">{errors.eventTypes.join(' · ')}</p>}
        <label>
          <input type="checkbox" name="includePhone" /> Include the contact&apos;s phone number in payloads
        </label>
        <ErrorText error={error?.details || error?.path ? null : error} />
        <div>
          <button className="btn btn-primary" type="submit">
            Add endpoint
          </button>
        </div>
      </form>
      {secret && (
        <div role="status" className="notice">
          <p>
            <strong>Copy the signing secret of {secret.url} now.</strong> It is shown only once; verify each delivery with it (see the
            README&apos;s receiver example).
          </p>
          <p className={styles.secretBox} data-testid="webhook-secret">
            {secret.secret}
          </p>
        </div>
      )}
      <DataTable label="Outbound webhook endpoints" rows={endpoints} empty="No endpoints yet." columns={columns} />
      {log && (
        <section aria-labelledby="webhook-log-heading">
          <h3 id="webhook-log-heading">Delivery log of {log.endpoint.url}</h3>
          <DataTable
            label={`Deliveries to ${log.endpoint.url}`}
            rows={log.deliveries}
            empty="Nothing delivered yet."
            columns={logColumns}
          />
        </section>
      )}
    </div>
  );
}
