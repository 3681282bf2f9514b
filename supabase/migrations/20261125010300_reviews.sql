-- Invariant: a review is a permanent record that names the exact content hash
-- the reviewer saw (a composite foreign key makes it the version's own hash),
-- so an approval can never be carried over to different content. Reviews are
-- append-only; a rejection says why.

create table reviews (
  id uuid primary key default gen_random_uuid(),
  flow_version_id uuid not null,
  content_hash text not null,
  reviewer text not null check (length(btrim(reviewer)) > 0),
  decision text not null check (decision in ('approved', 'rejected')),
  comment text,
  created_at timestamptz not null default now(),
  foreign key (flow_version_id, content_hash) references flow_versions (id, content_hash) on delete restrict,
  constraint reviews_rejection_says_why check (decision <> 'rejected' or length(btrim(coalesce(comment, ''))) > 0)
);

create index reviews_by_version on reviews (flow_version_id, created_at);

create trigger reviews_append_only
  before update or delete on reviews
  for each row execute function optline_refuse_change();

create trigger reviews_no_truncate
  before truncate on reviews
  for each statement execute function optline_refuse_change();
