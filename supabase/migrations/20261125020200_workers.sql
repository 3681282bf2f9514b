-- The engine's live workers. graphile-worker keeps a job locked by the worker
-- that took it, and a worker killed without warning (kill -9, a lost machine)
-- would hold its jobs for hours. Each worker beats here every few seconds;
-- the others unlock the jobs of one whose beat stopped, and the effects it
-- had claimed are reconciled, never sent twice (messages.effect_id).

create table optline_workers (
  worker_id text primary key,
  process text not null,
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now()
);

alter table optline_workers enable row level security;
