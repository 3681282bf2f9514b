-- Invariant: when the send-time guard holds a text back, the decision is on
-- record: which effect, until when, and the guard's sentence (quiet hours,
-- frequency cap), written by the engine before the deferred job is queued.
-- A blocked send is already a `messages` row with status `blocked` and its
-- reason; a deferral has no message until it is sent, hence this table.
-- Once per effect and instant (a retried job records nothing twice).
-- Append-only.

create table send_deferrals (
  id bigint generated always as identity primary key,
  run_id uuid references runs (id) on delete restrict,
  effect_id text not null,
  until timestamptz not null,
  reason text not null,
  -- The engine's clock at the decision.
  decided_at timestamptz not null,
  unique (effect_id, until),
  check (until > decided_at)
);

create index send_deferrals_by_run on send_deferrals (run_id, decided_at) where run_id is not null;

create trigger send_deferrals_append_only
  before update or delete on send_deferrals
  for each row execute function optline_refuse_change();

alter table send_deferrals enable row level security;
