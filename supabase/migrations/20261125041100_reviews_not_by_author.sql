-- Invariant: the author of a flow version never reviews it (four eyes). The
-- server refuses this with a 403 first; this trigger makes the rule hold for
-- any writer of the table.

create function reviews_not_by_author() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from flow_versions v where v.id = new.flow_version_id and v.created_by = new.reviewer) then
    raise exception 'the author of a flow version cannot review it (reviewer %)', new.reviewer
      using errcode = 'check_violation';
  end if;
  return new;
end;
$$;

create trigger reviews_not_by_author
  before insert on reviews
  for each row execute function reviews_not_by_author();
