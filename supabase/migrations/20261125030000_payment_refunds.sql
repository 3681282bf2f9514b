-- Invariant: money Optline must give back is given back once, and the
-- database says so. A payment page that took money for a payment Optline
-- failed (a card check came back `fail`) or for a link already dead (paid,
-- replaced, expired or failed) gets one refund, keyed by that page: `due`
-- until the provider answers, then `refunded` with the provider's id or
-- `failed` with its answer for an operator. A refunded refund never changes.

create table payment_refunds (
  id uuid primary key default gen_random_uuid(),
  payment_id uuid not null references payments (id) on delete restrict,
  provider_session_id text not null unique,
  reason text not null check (length(btrim(reason)) > 0),
  status text not null default 'due' check (status in ('due', 'refunded', 'failed')),
  provider_refund_id text,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  refunded_at timestamptz,
  check ((status = 'refunded') = (provider_refund_id is not null and refunded_at is not null)),
  check ((status = 'failed') = (error is not null))
);

create index payment_refunds_by_payment on payment_refunds (payment_id);

create function payment_refunds_refund_once() returns trigger
language plpgsql as $$
begin
  if old.status = 'refunded' then
    raise exception 'refund % is done and cannot change', old.id using errcode = 'restrict_violation';
  end if;
  if (new.payment_id, new.provider_session_id) is distinct from (old.payment_id, old.provider_session_id) then
    raise exception 'refund % keeps its payment and page', old.id using errcode = 'restrict_violation';
  end if;
  new.updated_at := now();
  return new;
end;
$$;

create trigger payment_refunds_refund_once
  before update on payment_refunds
  for each row execute function payment_refunds_refund_once();

alter table payment_refunds enable row level security;
