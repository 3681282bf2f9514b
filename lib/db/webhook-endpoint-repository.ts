import type { OutboundEventType } from '@/lib/outbound-events/event-types';
import type { Queryable } from './queryable';

/** An outbound webhook endpoint as stored (the secret stays encrypted). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: OutboundEventType[];
  includePhone: boolean;
  enabled: boolean;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

interface Row {
  id: string;
  url: string;
  description: string;
  event_types: OutboundEventType[];
  include_phone: boolean;
  enabled: boolean;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, url, description, event_types, include_phone, enabled, disabled_at, disabled_reason, created_by, created_at, updated_at';

const toEndpoint = (r: Row): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: r.event_types,
  includePhone: r.include_phone,
  enabled: r.enabled,
  disabledAt: r.disabled_at,
  disabledReason: r.disabled_reason,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The fields an admin may change. */
export interface WebhookEndpointChange {
  url?: string;
  description?: string;
  eventTypes?: OutboundEventType[];
  includePhone?: boolean;
  enabled?: boolean;
}

/** Outbound webhook endpoints (`webhook_endpoints`). */
export function webhookEndpointRepository(db: Queryable) {
  return {
    async create(input: {
      id: string;
      url: string;
      description: string;
      eventTypes: readonly OutboundEventType[];
      includePhone: boolean;
      secretCiphertext: Buffer;
      createdBy: string;
    }): Promise<WebhookEndpoint> {
      const { rows } = await db.query<Row>(
        `insert into webhook_endpoints (id, url, description, event_types, include_phone, secret_ciphertext, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
        [input.id, input.url, input.description, input.eventTypes, input.includePhone, input.secretCiphertext, input.createdBy],
      );
      return toEndpoint(rows[0]!);
    },

    async list(): Promise<WebhookEndpoint[]> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from webhook_endpoints order by created_at, id`);
      return rows.map(toEndpoint);
    },

    /** The endpoint, locked for the caller's transaction with `lock`. */
    async get(id: string, options: { lock?: boolean } = {}): Promise<WebhookEndpoint | null> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from webhook_endpoints where id = $1${options.lock ? ' for update' : ''}`, [
        id,
      ]);
      return rows[0] ? toEndpoint(rows[0]) : null;
    },

    /** Applies a change; enabling clears the disabled mark. Null when there is no such endpoint. */
    async update(id: string, change: WebhookEndpointChange): Promise<WebhookEndpoint | null> {
      const { rows } = await db.query<Row>(
        `update webhook_endpoints set
           url = coalesce($2, url), description = coalesce($3, description), event_types = coalesce($4, event_types),
           include_phone = coalesce($5, include_phone), enabled = coalesce($6, enabled),
           disabled_at = case when $6 is true then null else disabled_at end,
           disabled_reason = case when $6 is true then null else disabled_reason end
         where id = $1 returning ${COLUMNS}`,
        [
          id,
          change.url ?? null,
          change.description ?? null,
          change.eventTypes ?? null,
          change.includePhone ?? null,
          change.enabled ?? null,
        ],
      );
      return rows[0] ? toEndpoint(rows[0]) : null;
    },

    async setSecret(id: string, secretCiphertext: Buffer): Promise<boolean> {
      const { rowCount } = await db.query(`update webhook_endpoints set secret_ciphertext = $2 where id = $1`, [id, secretCiphertext]);
      return (rowCount ?? 0) > 0;
    },

    /** Disables an enabled endpoint with the reason shown in the console; false when it was not enabled. */
    async disable(id: string, reason: string, at: Date): Promise<boolean> {
      const { rowCount } = await db.query(
        `update webhook_endpoints set enabled = false, disabled_at = $3, disabled_reason = left($2, 500) where id = $1 and enabled`,
        [id, reason, at],
      );
      return (rowCount ?? 0) > 0;
    },

    async remove(id: string): Promise<WebhookEndpoint | null> {
      const { rows } = await db.query<Row>(`delete from webhook_endpoints where id = $1 returning ${COLUMNS}`, [id]);
      return rows[0] ? toEndpoint(rows[0]) : null;
    },

    /** Endpoints switched off automatically (the console's notice). */
    async listAutoDisabled(): Promise<WebhookEndpoint[]> {
      const { rows } = await db.query<Row>(
        `select ${COLUMNS} from webhook_endpoints where not enabled and disabled_at is not null order by disabled_at desc limit 20`,
      );
      return rows.map(toEndpoint);
    },
  };
}
