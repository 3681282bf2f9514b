-- Invariant: the runs list and the dashboard's funnel stay index-driven on
-- large tables. The list pages runs newest first (created_at, id) and filters
-- by contact; the funnel counts, per run started in a date range, whether
-- the run has a delivered message, a verified identity check or a paid link
-- (each an EXISTS on the run's rows). run_events and payments already have
-- their by-run indexes.

create index runs_by_start on runs (created_at desc, id desc);
create index runs_by_contact on runs (contact_id, created_at desc);
create index messages_by_run on messages (run_id, created_at) where run_id is not null;
create index verifications_by_run on verifications (run_id);
