-- Invariant: a segment is evaluated by Postgres alone, in one parameterised
-- statement, over facts stored on the contact row; names, dates of birth and
-- ZIP codes stay encrypted and are never needed to decide membership.
--
-- Deliberate change to the contacts' design (docs/architecture.md,
-- "Audiences and campaigns"): custom attributes (a plan, an amount due) are
-- what marketers filter by, so a readable copy is kept in
-- `segment_attributes` beside the sealed `attributes_enc`. What must stay
-- unreadable in a dump (name, date of birth, ZIP: the identity check's
-- answers) stays encrypted and is not copied.
--
-- `resolved_zones` and `resolved_states` are what the runtime resolves for
-- the contact (`resolveZones` and `resolveStates` in lib/compliance: the
-- explicit zone or state, else the ZIP, else the number), computed in
-- TypeScript when the row is written (the ZIP is encrypted, so SQL cannot
-- derive them). `segment_facts_at` is null for rows written before this
-- migration: the segment service fills those in before it evaluates.

alter table contacts
  add column segment_attributes jsonb not null default '{}' check (jsonb_typeof(segment_attributes) = 'object'),
  add column tags text[] not null default '{}' check (cardinality(tags) <= 50),
  add column resolved_zones text[],
  add column resolved_states text[],
  add column segment_facts_at timestamptz,
  add constraint contacts_erased_keeps_no_segment_facts
    check (erased_at is null or (segment_attributes = '{}' and tags = '{}'));

create index contacts_by_tags on contacts using gin (tags);
create index contacts_by_resolved_zones on contacts using gin (resolved_zones);
create index contacts_by_resolved_states on contacts using gin (resolved_states);
create index contacts_without_segment_facts on contacts (id) where segment_facts_at is null and erased_at is null;

-- One row per CSV import, and which contacts each file wrote (created or updated).
create table contact_imports (
  id uuid primary key default gen_random_uuid(),
  file_name text not null check (length(file_name) between 1 and 200),
  imported_by text not null,
  imported_at timestamptz not null default now(),
  row_count integer not null check (row_count >= 0)
);

create table contact_import_members (
  import_id uuid not null references contact_imports (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  primary key (import_id, contact_id)
);

create index contact_import_members_by_contact on contact_import_members (contact_id);

-- The consent level after a contact's ledger, as `consentLevelOf`
-- (lib/compliance/types.ts) reads it: events in the order they occurred; a
-- revocation covers every purpose and holds until a later grant, which
-- restores only what it grants; marketing consent covers informational.
-- lib/db/segment-repository.test.ts checks the two agree on random ledgers.
create function optline_consent_level(p_contact uuid) returns text
language sql stable as $$
  with ledger as (
    select e.action, e.purpose, row_number() over (order by e.occurred_at, e.id) as pos
    from consent_events e where e.contact_id = p_contact
  ), last_revoke as (
    select coalesce(max(pos), 0) as pos, count(*) > 0 as any_revoke from ledger where action = 'revoke'
  )
  select case
    when exists (select 1 from ledger l, last_revoke r where l.action = 'grant' and l.purpose = 'marketing' and l.pos > r.pos) then 'granted'
    when exists (select 1 from ledger l, last_revoke r where l.action = 'grant' and l.purpose = 'informational' and l.pos > r.pos) then 'informational'
    when (select any_revoke from last_revoke) then 'revoked'
    else 'missing'
  end
$$;

-- A saved audience: a filter tree (lib/campaigns/segment-filter.ts checks
-- its shape and bounds before it is stored or compiled to SQL).
create table segments (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 120),
  filter jsonb not null check (jsonb_typeof(filter) = 'object'),
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger segments_touch_updated_at
  before update on segments
  for each row execute function optline_touch_updated_at();

alter table contact_imports enable row level security;
alter table contact_import_members enable row level security;
alter table segments enable row level security;
