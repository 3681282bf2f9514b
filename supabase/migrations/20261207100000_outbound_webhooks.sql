-- Invariant: an outbound webhook event exists if and only if the change it
-- reports committed: it is written in that change's transaction (an
-- outbox), together with one delivery per endpoint subscribed at that
-- moment and the graphile-worker job that sends it. Deliveries of one
-- endpoint that share an order key (a run, else a contact) are sent in the
-- order of their event's `seq`. An endpoint's signing secret is stored only
-- encrypted (lib/crypto's field cipher, bound to the endpoint's id).

create table webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  url text not null check (length(url) between 1 and 2048),
  description text not null default '' check (length(description) <= 500),
  event_types text[] not null check (cardinality(event_types) between 1 and 32),
  -- Whether payloads may carry the contact's phone number (never any other personal data).
  include_phone boolean not null default false,
  secret_ciphertext bytea not null,
  enabled boolean not null default true,
  disabled_at timestamptz,
  disabled_reason text check (length(disabled_reason) <= 500),
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index webhook_endpoints_by_type on webhook_endpoints using gin (event_types) where enabled;

create trigger webhook_endpoints_touch_updated_at
  before update on webhook_endpoints
  for each row execute function optline_touch_updated_at();

create table webhook_events (
  id uuid primary key default gen_random_uuid(),
  -- The order events were written in: deliveries of one order key follow it.
  seq bigint generated always as identity unique,
  type text not null check (length(type) <= 64),
  run_id uuid,
  contact_id uuid,
  payload jsonb not null,
  occurred_at timestamptz not null
);

create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  event_id uuid not null references webhook_events (id) on delete cascade,
  -- `run:<id>`, `contact:<id>`, `event:<id>` or `redelivery:<id>`: deliveries sharing one go one at a time, in `seq` order.
  order_key text not null,
  seq bigint not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  -- Null: due at once (never tried). The worker's clock sets it after a failed try.
  next_attempt_at timestamptz,
  first_attempt_at timestamptz,
  last_attempt_at timestamptz,
  last_status_code integer,
  last_latency_ms integer,
  last_error text check (length(last_error) <= 500),
  delivered_at timestamptz,
  -- The worker trying it holds it until then: one try at a time per order key, whatever the job queue does.
  lease_until timestamptz,
  created_at timestamptz not null default now()
);

create index webhook_deliveries_pending on webhook_deliveries (endpoint_id, order_key, seq) where status = 'pending';
create index webhook_deliveries_log on webhook_deliveries (endpoint_id, created_at desc, seq desc);

create table webhook_delivery_attempts (
  id bigint generated always as identity primary key,
  delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
  attempt integer not null check (attempt >= 1),
  attempted_at timestamptz not null,
  status_code integer,
  latency_ms integer not null check (latency_ms >= 0),
  error text check (length(error) <= 500),
  next_attempt_at timestamptz
);

create index webhook_delivery_attempts_by_delivery on webhook_delivery_attempts (delivery_id, attempt);

alter table webhook_endpoints enable row level security;
alter table webhook_events enable row level security;
alter table webhook_deliveries enable row level security;
alter table webhook_delivery_attempts enable row level security;

comment on table webhook_endpoints is 'outbound webhook endpoints an admin registered (lib/outbound-webhooks); secret encrypted';
comment on table webhook_events is 'outbound webhook events, written in the transaction of the change they report (lib/db/outbound-event-repository.ts)';
comment on table webhook_deliveries is 'one event to one endpoint: status, tries and the next try';
comment on table webhook_delivery_attempts is 'every try of a delivery: response code, latency, error';
