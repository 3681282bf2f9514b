-- Invariant: nobody who wrote a flow version decides on it (four eyes binds
-- every author, not only the submitter). Each change of a flow's draft is
-- kept with who made it: writers set `flows.draft_saved_by` and a trigger
-- appends the change to `flow_draft_saves` (a draft change without an author
-- is refused). A version's authors — whoever created or resubmitted it and
-- everyone who saved the flow's draft since its last approved version — are
-- attached to it in `flow_version_authors` (append-only) when it is created
-- or goes back to review, and a review by any of them is refused.
--
-- Existing data: the saves the audit log recorded become draft saves; each
-- version's authors are its submitter, its flow's creator and those saves.

alter table flows
  add column draft_saved_by text check (draft_saved_by is null or length(btrim(draft_saved_by)) > 0);

create table flow_draft_saves (
  id bigint generated always as identity primary key,
  -- A flow that never had a version may be deleted, and its saves with it.
  flow_id text not null references flows (id) on delete cascade,
  saved_by text not null check (length(btrim(saved_by)) > 0),
  saved_at timestamptz not null default now()
);

create index flow_draft_saves_by_flow on flow_draft_saves (flow_id, saved_at);

create trigger flow_draft_saves_no_update
  before update on flow_draft_saves
  for each row execute function optline_refuse_change();

create table flow_version_authors (
  flow_version_id uuid not null references flow_versions (id) on delete restrict,
  author text not null check (length(btrim(author)) > 0),
  primary key (flow_version_id, author)
);

create trigger flow_version_authors_append_only
  before update or delete on flow_version_authors
  for each row execute function optline_refuse_change();

create trigger flow_version_authors_no_truncate
  before truncate on flow_version_authors
  for each statement execute function optline_refuse_change();

create function flows_record_draft_save() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or (new.draft, new.name) is distinct from (old.draft, old.name) then
    if new.draft_saved_by is null then
      raise exception 'a change of the draft of flow % must name who made it (draft_saved_by)', new.id
        using errcode = 'not_null_violation';
    end if;
    insert into flow_draft_saves (flow_id, saved_by) values (new.id, new.draft_saved_by);
  end if;
  return new;
end;
$$;

create trigger flows_record_draft_save
  after insert or update on flows
  for each row execute function flows_record_draft_save();

-- The submitter and everyone who saved the draft since the flow's last
-- approved version (other than this one); `>=` keeps a save made in the same
-- instant as that version's creation: an author too many, never one too few.
create function flow_version_attach_authors(p_version_id uuid, p_submitter text) returns void
language sql as $$
  insert into flow_version_authors (flow_version_id, author)
  select v.id, a.author
  from flow_versions v
  cross join lateral (
    select p_submitter as author
    union
    select s.saved_by from flow_draft_saves s
    where s.flow_id = v.flow_id
      and s.saved_at >= coalesce((
        select max(p.created_at) from flow_versions p
        where p.flow_id = v.flow_id and p.id <> v.id and p.status in ('approved', 'active', 'paused')
      ), '-infinity'::timestamptz)
  ) a
  where v.id = p_version_id
  on conflict do nothing;
$$;

create function flow_versions_attach_authors() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or (new.status = 'submitted' and old.status is distinct from 'submitted') then
    perform flow_version_attach_authors(new.id, new.created_by);
  end if;
  return new;
end;
$$;

create trigger flow_versions_attach_authors
  after insert or update of status on flow_versions
  for each row execute function flow_versions_attach_authors();

create or replace function reviews_not_by_author() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from flow_versions v where v.id = new.flow_version_id and v.created_by = new.reviewer)
     or exists (select 1 from flow_version_authors a where a.flow_version_id = new.flow_version_id and a.author = new.reviewer) then
    raise exception 'an author of a flow version cannot review it: % submitted it or changed its draft since the last approved version', new.reviewer
      using errcode = 'check_violation';
  end if;
  return new;
end;
$$;

-- Existing data. Audit actors read "user (token id)" when a token acted.
insert into flow_draft_saves (flow_id, saved_by, saved_at)
select a.subject_id, split_part(a.actor, ' (token ', 1), a.at
from audit_log a
where a.subject_type = 'flow'
  and a.action in ('flow.created', 'flow.imported', 'flow.duplicated', 'flow.draft_saved', 'flow.renamed')
  and exists (select 1 from flows f where f.id = a.subject_id)
order by a.id;

insert into flow_version_authors (flow_version_id, author)
select v.id, v.created_by from flow_versions v
union
select v.id, s.saved_by
from flow_versions v
join flow_draft_saves s on s.flow_id = v.flow_id
where s.saved_at >= coalesce((
        select max(p.created_at) from flow_versions p
        where p.flow_id = v.flow_id and p.created_at < v.created_at and p.status in ('approved', 'active', 'paused')
      ), '-infinity'::timestamptz)
  -- A version still awaiting review takes the saves made since, too.
  and (v.status = 'submitted' or s.saved_at <= v.created_at)
union
select v.id, split_part(a.actor, ' (token ', 1)
from flow_versions v
join audit_log a on a.subject_type = 'flow' and a.subject_id = v.flow_id
  and a.action in ('flow.created', 'flow.imported', 'flow.duplicated')
on conflict do nothing;

alter table flow_draft_saves enable row level security;
alter table flow_version_authors enable row level security;
