-- Invariant: on a Supabase project, no Optline table is readable or writable
-- through the Data API with the anon or authenticated keys. Row level
-- security is on with no policies; Optline connects as the tables' owner,
-- whom RLS does not restrict, and on plain Postgres this changes nothing.

alter table flows enable row level security;
alter table flow_versions enable row level security;
alter table reviews enable row level security;
alter table contacts enable row level security;
alter table runs enable row level security;
alter table consent_chain_head enable row level security;
alter table consent_events enable row level security;
alter table run_events enable row level security;
alter table messages enable row level security;
alter table payments enable row level security;
alter table audit_log enable row level security;
alter table settings enable row level security;
