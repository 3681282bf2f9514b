-- Invariant: a campaign's run starts keep to its pace whichever job starts
-- them. `next_start_at` is the earliest moment (the engine's clock) the next
-- start batch may begin: each batch that starts k runs moves it to its own
-- beginning + k / pace_per_second seconds, in the batch's transaction, under
-- the campaign's start lock. A start job that comes earlier (one woken by an
-- enrolment batch while the chain of slices runs) waits for it. Null: no
-- run started yet.
alter table campaigns add column next_start_at timestamptz;
