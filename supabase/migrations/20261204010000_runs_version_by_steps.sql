-- A run's version counts its steps. The engine stores several steps of a run
-- in one write (the steps of a batch of events, applied in one transaction),
-- so a write may raise the version by more than one: it sets the version it
-- reached. The trigger still raises it by at least one on every change, and
-- never lowers it, so `where version = n` still loses cleanly to any
-- concurrent change.
create or replace function runs_bump_version() returns trigger
language plpgsql as $$
begin
  if new.flow_version_id is distinct from old.flow_version_id or new.contact_id is distinct from old.contact_id then
    raise exception 'run % stays on its flow version and contact', old.id using errcode = 'restrict_violation';
  end if;
  new.version := greatest(old.version + 1, new.version);
  new.updated_at := now();
  return new;
end;
$$;
