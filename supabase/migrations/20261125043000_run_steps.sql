-- Invariant: the path a run took is a record, not a guess. Every move from
-- node to node is written in the transaction that stores the step (the
-- engine's commitStep), in order: `step` is the run's version after the step
-- (the `runId:step:index` of its effects), `seq` the move's place inside the
-- step (a step may pass through eventless nodes: trigger, split,
-- variable.set). `from_node` is null only for the trigger entered at the
-- start. Rows are never changed or deleted: the run inspector redraws the
-- path from them, and a snapshot alone only says where the run is now.

create table run_steps (
  id bigint generated always as identity primary key,
  run_id uuid not null references runs (id) on delete restrict,
  step integer not null check (step >= 0),
  seq integer not null check (seq >= 0),
  -- The inbox event the step applied; null for the start and for answers applied in the same transaction (a consent check).
  event_id bigint references run_events (id) on delete restrict,
  event_type text not null check (length(event_type) between 1 and 255),
  from_node text,
  to_node text not null,
  -- The engine's clock at the step (the clock every send-time decision reads).
  at timestamptz not null,
  unique (run_id, step, seq),
  check (from_node is not null or (step = 0 and seq = 0))
);

create trigger run_steps_append_only
  before update or delete on run_steps
  for each row execute function optline_refuse_change();

create trigger run_steps_no_truncate
  before truncate on run_steps
  for each statement execute function optline_refuse_change();

alter table run_steps enable row level security;
