-- Invariant: a contact is enrolled in a campaign at most once (primary key
-- (campaign_id, contact_id)), and an enrolment's run is started at most once
-- (`run_id` set in the same transaction that writes the run; unique). The
-- enrolment jobs (lib/runtime/campaign-enrolment.ts) write each batch, the
-- cursor that says how far they got, and the next job in one transaction,
-- so a worker killed mid-batch leaves nothing half-written: the job's retry
-- redoes the batch from the same cursor.
--
-- The preview a marketer saw before launching is kept with the campaign
-- (`preview`, counts and the time histogram) and its blocked contacts with
-- their reasons in `campaign_preview_blocked` (for the CSV download).

create table campaigns (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 120),
  flow_version_id uuid not null references flow_versions (id) on delete restrict,
  -- What the audience was at creation: { kind: segment | selection | import, ..., filter } (the filter frozen then).
  audience jsonb not null check (jsonb_typeof(audience) = 'object' and jsonb_typeof(audience -> 'filter') = 'object'),
  -- { kind: 'now' } or { kind: 'local', date: 'YYYY-MM-DD', at: 'HH:MM' } in each contact's own zone.
  schedule jsonb not null check (schedule ->> 'kind' in ('now', 'local')),
  -- Run variables from contact attributes: { "amount_due": "amount_due" } means vars.amount_due <- attributes.amount_due.
  variables jsonb not null default '{}' check (jsonb_typeof(variables) = 'object'),
  pace_per_second integer not null check (pace_per_second between 1 and 1000),
  status text not null default 'draft' check (status in ('draft', 'enrolling', 'enrolled', 'paused', 'cancelled')),
  preview jsonb check (preview is null or jsonb_typeof(preview) = 'object'),
  previewed_at timestamptz,
  -- Keyset position of the enrolment: the last contact id enrolled (audience walked in id order).
  enrol_cursor uuid,
  launched_at timestamptz,
  launched_by text,
  -- Set when the launch fixed "now" (schedule kind now): every enrolment is due from then.
  starts_at timestamptz,
  ended_at timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status <> 'draft' or launched_at is null),
  check (status in ('draft', 'cancelled') or launched_at is not null)
);

create trigger campaigns_touch_updated_at
  before update on campaigns
  for each row execute function optline_touch_updated_at();

create table campaign_enrolments (
  campaign_id uuid not null references campaigns (id) on delete restrict,
  contact_id uuid not null references contacts (id) on delete restrict,
  -- When the run starts: launch time, or the wall-clock time on the date in the contact's zone.
  due_at timestamptz not null,
  run_id uuid unique references runs (id) on delete restrict,
  -- Why a start was refused (the version stopped being active or approved): never retried.
  start_error text,
  enrolled_at timestamptz not null default now(),
  started_at timestamptz,
  primary key (campaign_id, contact_id),
  check (run_id is null or start_error is null)
);

create index campaign_enrolments_due on campaign_enrolments (campaign_id, due_at) where run_id is null and start_error is null;

create table campaign_preview_blocked (
  campaign_id uuid not null references campaigns (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  rule text not null,
  reason text not null,
  primary key (campaign_id, contact_id)
);

alter table campaigns enable row level security;
alter table campaign_enrolments enable row level security;
alter table campaign_preview_blocked enable row level security;
