-- Invariant: a flow is addressed by a stable slug (the document's `id`, same
-- pattern as lib/flow/schema.ts) and its draft is a JSON object. The draft is
-- freely editable; what runs is a frozen flow version, never the draft.

create table flows (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  name text not null check (length(btrim(name)) between 1 and 200),
  draft jsonb not null check (jsonb_typeof(draft) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);

create trigger flows_touch_updated_at
  before update on flows
  for each row execute function optline_touch_updated_at();

create index flows_live_by_update on flows (updated_at desc) where archived_at is null;
