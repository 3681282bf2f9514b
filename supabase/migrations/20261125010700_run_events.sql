-- Invariant: every incoming event (inbound SMS, delivery status, payment
-- event, timer, API call) is stored once under its idempotency key
-- (MessageSid, Stripe event id, timer id, client key): a retried webhook
-- hits the unique key and changes nothing.

create table run_events (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique check (length(idempotency_key) between 1 and 255),
  kind text not null check (kind in ('inbound_sms', 'delivery_status', 'payment', 'timer', 'api')),
  run_id uuid references runs (id) on delete restrict,
  contact_id uuid references contacts (id) on delete restrict,
  payload jsonb not null default '{}' check (jsonb_typeof(payload) = 'object'),
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  outcome text,
  check (processed_at is null or processed_at >= received_at)
);

create index run_events_by_run on run_events (run_id, id) where run_id is not null;
create index run_events_unprocessed on run_events (id) where processed_at is null;
