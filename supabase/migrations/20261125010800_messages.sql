-- Invariant: an outbound message is sent at most once per effect (unique
-- `effect_id`, the id also given to the provider as its idempotency key),
-- and a provider message id belongs to one row, so a status callback or a
-- retried inbound webhook finds the row it is about and never makes a second.

create table messages (
  id uuid primary key default gen_random_uuid(),
  direction text not null check (direction in ('inbound', 'outbound')),
  contact_id uuid not null references contacts (id) on delete restrict,
  run_id uuid references runs (id) on delete restrict,
  effect_id text unique,
  purpose text check (purpose in ('informational', 'marketing')),
  body text not null,
  provider text not null check (provider in ('twilio', 'sandbox')),
  provider_sid text unique,
  status text not null check (status in (
    'received', 'pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'blocked')),
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  constraint messages_inbound_is_received check ((direction = 'inbound') = (status = 'received')),
  constraint messages_inbound_has_provider_sid check (direction = 'outbound' or (provider_sid is not null and effect_id is null and purpose is null))
);

create trigger messages_touch_updated_at
  before update on messages
  for each row execute function optline_touch_updated_at();

create index messages_by_contact on messages (contact_id, created_at);
-- Frequency caps count a number's marketing texts over the last 24 hours.
create index messages_marketing_sent on messages (contact_id, sent_at)
  where direction = 'outbound' and purpose = 'marketing' and sent_at is not null;
