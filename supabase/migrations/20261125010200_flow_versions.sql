-- Invariant: a flow version is immutable. Its content, content hash, number
-- and author never change and it is never deleted, so an approval of a
-- content hash and every run started on the version keep meaning what they
-- meant. Only its status moves. A flow has at most one active version, and
-- the same content is never saved twice as two versions.

create table flow_versions (
  id uuid primary key default gen_random_uuid(),
  flow_id text not null references flows (id) on delete restrict,
  version integer not null check (version > 0),
  content jsonb not null check (jsonb_typeof(content) = 'object'),
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  status text not null default 'draft'
    check (status in ('draft', 'submitted', 'approved', 'rejected', 'active', 'paused')),
  created_by text not null check (length(btrim(created_by)) > 0),
  created_at timestamptz not null default now(),
  status_changed_at timestamptz not null default now(),
  unique (flow_id, version),
  unique (flow_id, content_hash),
  -- Target of reviews' composite foreign key: a review names the hash it saw.
  unique (id, content_hash)
);

create unique index flow_versions_one_active_per_flow on flow_versions (flow_id) where status = 'active';

create function flow_versions_freeze() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'flow versions are never deleted (version % of flow %)', old.version, old.flow_id
      using errcode = 'restrict_violation';
  end if;
  if (new.id, new.flow_id, new.version, new.content, new.content_hash, new.created_by, new.created_at)
     is distinct from
     (old.id, old.flow_id, old.version, old.content, old.content_hash, old.created_by, old.created_at) then
    raise exception 'flow versions are immutable: only the status of version % of flow % may change', old.version, old.flow_id
      using errcode = 'restrict_violation',
            hint = 'Save the changed document as a new version.';
  end if;
  if new.status is distinct from old.status then
    new.status_changed_at := now();
  end if;
  return new;
end;
$$;

create trigger flow_versions_freeze
  before update or delete on flow_versions
  for each row execute function flow_versions_freeze();

create trigger flow_versions_no_truncate
  before truncate on flow_versions
  for each statement execute function optline_refuse_change();
