-- Invariant: an inbound text is stored once, under its provider id
-- (MessageSid), by the webhook itself, in the same statement that enqueues
-- the job that classifies it (STOP, HELP, START or a reply) — so the webhook
-- answers after one insert, a retried webhook changes nothing, and a text
-- the provider was told we have is never lost. Until its job has processed
-- it (`processed_at`), the send-time guard reads the unprocessed texts of the
-- number: a STOP stored here is honoured at once, before it is classified.
-- The number is kept only as its keyed hash (the contacts' `phone_hash`):
-- a text from a number that is no contact stays unreadable to a look-up.

create table inbound_texts (
  id bigint generated always as identity primary key,
  provider_sid text not null unique check (length(provider_sid) between 1 and 255),
  provider text not null check (provider in ('twilio', 'sandbox')),
  phone_hash text not null,
  body text not null,
  -- The engine's clock when the webhook stored it (the time a STOP took effect).
  received_at timestamptz not null,
  processed_at timestamptz,
  outcome text,
  check ((processed_at is null) = (outcome is null))
);

-- The guard's look-up: the unprocessed texts of one number.
create index inbound_texts_unprocessed on inbound_texts (phone_hash, id) where processed_at is null;

alter table inbound_texts enable row level security;
