-- Identity checks of runs (verify.identity): what the contact's reply must
-- match, known only by a keyed hash (HMAC with a key derived from APP_SECRET)
-- so neither a one-time code nor a ZIP or date of birth is readable here, and
-- how many attempts are left. A check is settled once: verified or failed.
-- Also: the hosted page a payment link opens (the provider's checkout URL),
-- so Optline's own short link `/pay/<token>` can send the contact there.

create table verifications (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references runs (id) on delete restrict,
  node_id text not null,
  effect_id text not null unique,
  method text not null check (method in ('otp', 'zip', 'dob')),
  answer_hash text not null check (answer_hash ~ '^[0-9a-f]{64}$'),
  attempts_left integer not null check (attempts_left >= 0),
  status text not null default 'pending' check (status in ('pending', 'verified', 'failed', 'superseded')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create unique index verifications_one_pending_per_run on verifications (run_id) where status = 'pending';

create trigger verifications_touch_updated_at
  before update on verifications
  for each row execute function optline_touch_updated_at();

alter table verifications enable row level security;

alter table payments add column checkout_url text check (checkout_url is null or checkout_url ~ '^https?://');

alter table payments add column node_id text;
