-- Invariant: a run is one contact in one flow version and stays on that
-- version. Every change to a run increments `version` (the trigger does it,
-- so no writer can skip it): a step that read version n and writes
-- `where version = n` loses cleanly to any concurrent change. A run that has
-- ended records when.

create table runs (
  id uuid primary key default gen_random_uuid(),
  flow_version_id uuid not null references flow_versions (id) on delete restrict,
  contact_id uuid not null references contacts (id) on delete restrict,
  status text not null default 'active' check (status in ('active', 'done', 'error', 'stopped')),
  snapshot jsonb not null check (jsonb_typeof(snapshot) = 'object'),
  vars jsonb not null default '{}' check (jsonb_typeof(vars) = 'object'),
  version integer not null default 0 check (version >= 0),
  stop_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  ended_at timestamptz,
  check ((status = 'active') = (ended_at is null))
);

create function runs_bump_version() returns trigger
language plpgsql as $$
begin
  if new.flow_version_id is distinct from old.flow_version_id or new.contact_id is distinct from old.contact_id then
    raise exception 'run % stays on its flow version and contact', old.id using errcode = 'restrict_violation';
  end if;
  new.version := old.version + 1;
  new.updated_at := now();
  return new;
end;
$$;

create trigger runs_bump_version
  before update on runs
  for each row execute function runs_bump_version();

-- A STOP ends every active run of the contact at once.
create index runs_active_by_contact on runs (contact_id) where status = 'active';
create index runs_by_flow_version on runs (flow_version_id);
