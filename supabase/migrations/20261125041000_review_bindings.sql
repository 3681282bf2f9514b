-- Invariant: an approval is bound to what was reviewed. Besides the content
-- hash (already tied to the version by the composite foreign key), it records
-- the analyzer version and the SHA-256 of the analyzer's canonical report the
-- reviewer saw, and the keys of the warnings they acknowledged. Activation and
-- every run start recompute both and refuse the version when they differ.
-- The check is NOT VALID so that approvals recorded before bindings existed
-- stay readable; they carry no binding, so they never let a version run.

alter table reviews
  add column analyzer_version text check (analyzer_version is null or length(btrim(analyzer_version)) > 0),
  add column report_hash text check (report_hash is null or report_hash ~ '^[0-9a-f]{64}$'),
  add column acknowledged_warnings text[] not null default '{}';

alter table reviews
  add constraint reviews_approval_is_bound
  check (decision <> 'approved' or (analyzer_version is not null and report_hash is not null)) not valid;
