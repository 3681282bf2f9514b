-- Invariant: every submission of a flow version (its creation, and each time
-- it goes back to review) records the analyzer's verdict on it at that moment
-- — the analyzer version, how many errors and warnings it found, and the
-- SHA-256 of its canonical report (the `reportHash` an approval binds to) —
-- in the same transaction as the submission, so no version is submitted
-- without one from here on. The verdict names the content hash it judged (a
-- composite foreign key makes it the version's own), and it is append-only:
-- flow_versions itself stays immutable, and a resubmission under a newer
-- analyzer adds a row instead of rewriting the first. The latest row is the
-- version's verdict. Versions submitted before this migration have none (the
-- Data API shows nulls for them); nothing is backfilled, because the
-- analyzer that judged them is not known.

create table flow_version_verdicts (
  id bigint generated always as identity primary key,
  flow_version_id uuid not null,
  content_hash text not null,
  analyzer_version text not null check (length(btrim(analyzer_version)) > 0),
  error_count integer not null check (error_count >= 0),
  warning_count integer not null check (warning_count >= 0),
  report_hash text not null check (report_hash ~ '^[0-9a-f]{64}$'),
  submitted_at timestamptz not null default now(),
  foreign key (flow_version_id, content_hash) references flow_versions (id, content_hash) on delete restrict
);

create index flow_version_verdicts_by_version on flow_version_verdicts (flow_version_id, submitted_at desc, id desc);

create trigger flow_version_verdicts_append_only
  before update or delete on flow_version_verdicts
  for each row execute function optline_refuse_change();

create trigger flow_version_verdicts_no_truncate
  before truncate on flow_version_verdicts
  for each statement execute function optline_refuse_change();

alter table flow_version_verdicts enable row level security;
