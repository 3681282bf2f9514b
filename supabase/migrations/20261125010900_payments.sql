-- Invariant: a payment link is bound to one run and one amount, is known to
-- the database only by the hash of its token, expires, and is dead once
-- settled: a paid, failed, expired or superseded payment never changes status
-- again, and a run has at most one pending link (reissuing supersedes the old
-- one). No card data is ever stored: payment happens on the provider's page.

create table payments (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references runs (id) on delete restrict,
  contact_id uuid not null references contacts (id) on delete restrict,
  effect_id text not null unique,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  amount_minor bigint not null check (amount_minor > 0),
  currency text not null check (currency ~ '^[a-z]{3}$'),
  description text not null check (length(btrim(description)) > 0),
  status text not null default 'pending' check (status in ('pending', 'paid', 'failed', 'expired', 'superseded')),
  provider text not null check (provider in ('stripe', 'sandbox')),
  provider_session_id text unique,
  verification jsonb not null default '{}' check (jsonb_typeof(verification) = 'object'),
  failure_reason text,
  expires_at timestamptz not null,
  paid_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (expires_at > created_at),
  check ((status = 'paid') = (paid_at is not null))
);

create unique index payments_one_pending_per_run on payments (run_id) where status = 'pending';
create index payments_by_run on payments (run_id, created_at);

create function payments_settle_once() returns trigger
language plpgsql as $$
begin
  if old.status <> 'pending' and new.status is distinct from old.status then
    raise exception 'payment % is % and cannot become %', old.id, old.status, new.status
      using errcode = 'restrict_violation';
  end if;
  if (new.run_id, new.contact_id, new.effect_id, new.token_hash, new.amount_minor, new.currency)
     is distinct from (old.run_id, old.contact_id, old.effect_id, old.token_hash, old.amount_minor, old.currency) then
    raise exception 'payment % keeps its run, token and amount; issue a new payment instead', old.id
      using errcode = 'restrict_violation';
  end if;
  new.updated_at := now();
  return new;
end;
$$;

create trigger payments_settle_once
  before update on payments
  for each row execute function payments_settle_once();
