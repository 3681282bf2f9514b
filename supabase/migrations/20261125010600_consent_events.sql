-- Invariant: the consent ledger is append-only and tamper-evident. Rows are
-- never updated, deleted or truncated (triggers refuse it), and each row
-- stores `hash` = SHA-256 over its own content and the previous row's hash,
-- so an edit made behind the triggers' back (as a superuser, with triggers
-- disabled) breaks the chain at that row; `optline ledger verify` names it.
-- Every event carries its evidence: source, channel, the exact text shown,
-- the reply, when it happened and when it was recorded (COMPLIANCE.md,
-- "Record keeping": kept at least 4 years, never edited).
--
-- One global chain, not one per contact: a per-contact chain cannot show
-- that a contact's whole history (or its latest rows) was deleted, while a
-- global chain plus its head row catches any missing row, and verifying it
-- is one ordered walk. The price is that appends are serialised on the head
-- row's lock; consent events are rare (opt-ins, STOPs), so this costs
-- nothing measurable. `id` is the chain position: dense, 1, 2, 3, …
--
-- The chain is computed here, in the inserting transaction, so every writer
-- (the app, an import, a SQL console) extends it correctly; the verifier in
-- lib/db/consent-repository.ts recomputes it independently.

create table consent_chain_head (
  singleton boolean primary key default true check (singleton),
  last_id bigint not null check (last_id >= 0),
  last_hash text not null check (last_hash ~ '^[0-9a-f]{64}$')
);

insert into consent_chain_head (last_id, last_hash) values (0, repeat('0', 64));

create table consent_events (
  id bigint primary key,
  contact_id uuid not null references contacts (id) on delete restrict,
  action text not null check (action in ('grant', 'revoke')),
  purpose text not null,
  source text not null check (source in ('import', 'keyword', 'reply', 'web_form', 'api')),
  channel text not null check (channel in ('sms', 'web', 'voice', 'paper', 'email', 'api')),
  text_shown text,
  reply text,
  source_ref text,
  run_id uuid references runs (id) on delete restrict,
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object'),
  recorded_by text not null check (length(btrim(recorded_by)) > 0),
  occurred_at timestamptz not null,
  recorded_at timestamptz not null,
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null unique check (hash ~ '^[0-9a-f]{64}$'),
  -- A revocation covers every purpose (FCC 24-24; COMPLIANCE.md, "Revocation").
  constraint consent_events_revoke_covers_all check ((action = 'grant' and purpose in ('informational', 'marketing')) or (action = 'revoke' and purpose = 'all')),
  -- Prior express written consent: the disclosure agreed to is kept word for word (47 CFR 64.1200(f)(9)).
  constraint consent_events_marketing_needs_text_shown
    check (not (action = 'grant' and purpose = 'marketing') or text_shown is not null),
  -- A keyword or a reply is evidence only with the words the person sent.
  constraint consent_events_reply_needs_words check (source not in ('keyword', 'reply') or reply is not null),
  -- Evidence from the future is a clock or input error (5 minutes of skew allowed).
  constraint consent_events_not_in_future check (occurred_at <= recorded_at + interval '5 minutes')
);

create index consent_events_by_contact on consent_events (contact_id, occurred_at, id);

-- The canonical content of a row: a version tag, the previous hash, then its
-- fields in a fixed order, each as the hex of its UTF-8 bytes ('-' for null,
-- so no value can forge a separator), timestamps in UTC with microseconds.
-- lib/db/consent-repository.ts mirrors this exactly; change both or neither
-- (a change means a new tag and a new migration, never an edit).
create function consent_event_hash(e consent_events) returns text
language sql stable as $$
  select encode(sha256(convert_to(
    'optline.consent.v1|' || e.prev_hash || '|' || array_to_string(array(
      select coalesce(encode(convert_to(f, 'UTF8'), 'hex'), '-')
      from unnest(array[
        e.id::text, e.contact_id::text, e.action, e.purpose, e.source, e.channel,
        e.text_shown, e.reply, e.source_ref, e.run_id::text, e.details::text, e.recorded_by,
        to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
      ]::text[]) with ordinality as t(f, n)
      order by n
    ), '|'),
  'UTF8')), 'hex')
$$;

-- Appends are serialised by the head row's lock, held to the end of the
-- inserting transaction: two concurrent appends can never share a parent.
create function consent_events_chain() returns trigger
language plpgsql as $$
declare
  head consent_chain_head%rowtype;
begin
  select * into strict head from consent_chain_head where singleton for update;
  new.id := head.last_id + 1;
  new.prev_hash := head.last_hash;
  -- Read after the lock, so recorded_at never goes backwards along the chain.
  new.recorded_at := clock_timestamp();
  new.hash := consent_event_hash(new);
  update consent_chain_head set last_id = new.id, last_hash = new.hash where singleton;
  return new;
end;
$$;

create trigger consent_events_chain
  before insert on consent_events
  for each row execute function consent_events_chain();

create trigger consent_events_append_only
  before update or delete on consent_events
  for each row execute function optline_refuse_change();

create trigger consent_events_no_truncate
  before truncate on consent_events
  for each statement execute function optline_refuse_change();

-- The head moves only from the chain trigger (depth 2: an insert's trigger
-- updating it), never by a direct statement.
create function consent_chain_head_guard() returns trigger
language plpgsql as $$
begin
  if tg_op <> 'UPDATE' or pg_trigger_depth() < 2 then
    raise exception 'consent_chain_head moves only when a consent event is appended'
      using errcode = 'restrict_violation';
  end if;
  return new;
end;
$$;

create trigger consent_chain_head_guard
  before update or delete on consent_chain_head
  for each row execute function consent_chain_head_guard();

create trigger consent_chain_head_no_truncate
  before truncate on consent_chain_head
  for each statement execute function optline_refuse_change();
