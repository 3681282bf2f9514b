-- Invariant: the audit log is append-only: who did what to which subject,
-- when. Rows are never updated, deleted or truncated.

create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor text not null check (length(btrim(actor)) > 0),
  action text not null check (length(btrim(action)) > 0),
  subject_type text not null,
  subject_id text,
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object')
);

create index audit_log_by_subject on audit_log (subject_type, subject_id, at);

create trigger audit_log_append_only
  before update or delete on audit_log
  for each row execute function optline_refuse_change();

create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function optline_refuse_change();
