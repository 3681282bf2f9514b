-- Invariant: the Data API's `optline_api.flow_versions` shows each version's
-- analyzer verdict at its latest submission (flow_version_verdicts): the
-- analyzer version, the error and warning counts and the report hash, and
-- when it was recorded; all null for a version submitted before verdicts
-- were recorded. As for every view (20261207120000_data_api.sql): it runs
-- with the caller's rights (security_invoker), the table's columns are
-- granted one by one, its only policy asks for the `read` permission, and
-- nothing is writable. The view keeps its columns and appends the new ones
-- (create or replace), so its grants stay as they were.

revoke all on flow_version_verdicts from anon, authenticated;
grant select (id, flow_version_id, analyzer_version, error_count, warning_count, report_hash, submitted_at)
  on flow_version_verdicts to authenticated;
create policy data_api_read on flow_version_verdicts for select to authenticated
  using (optline_data_api_private.jwt_permits('read'));

create or replace view optline_api.flow_versions with (security_invoker = true) as
  select v.id, v.flow_id, v.version, v.content_hash, v.status, v.created_at, v.status_changed_at,
    r.decision as review_decision, r.analyzer_version, r.acknowledged_warnings, r.created_at as reviewed_at,
    d.analyzer_version as verdict_analyzer_version, d.error_count as verdict_errors,
    d.warning_count as verdict_warnings, d.report_hash as verdict_report_hash, d.submitted_at as verdict_at
  from public.flow_versions v
  left join lateral (
    select decision, analyzer_version, acknowledged_warnings, created_at from public.reviews
    where flow_version_id = v.id order by created_at desc limit 1
  ) r on true
  left join lateral (
    select analyzer_version, error_count, warning_count, report_hash, submitted_at from public.flow_version_verdicts
    where flow_version_id = v.id order by submitted_at desc, id desc limit 1
  ) d on true;

grant select on optline_api.flow_versions to authenticated;
