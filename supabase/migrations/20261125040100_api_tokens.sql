-- Invariant: an API token's secret is never stored, only its SHA-256 (the
-- secret is 256 random bits, so a fast hash is enough); a token belongs to
-- one user, carries a fixed set of scopes, and once revoked stays revoked.

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id text not null references "auth_users" ("id") on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 80),
  scopes text[] not null check (cardinality(scopes) > 0
    and scopes <@ array['read', 'flows.transfer', 'contacts.write', 'runs.write']),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  -- The first characters of the token, so a person can tell their tokens apart.
  prefix text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create index api_tokens_by_user on api_tokens (user_id, created_at);

create function api_tokens_stay_revoked() returns trigger
language plpgsql as $$
begin
  if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
    raise exception 'API token % is revoked and stays revoked', old.id using errcode = 'restrict_violation';
  end if;
  if (new.user_id, new.scopes, new.token_hash, new.prefix, new.created_at) is distinct from (old.user_id, old.scopes, old.token_hash, old.prefix, old.created_at) then
    raise exception 'an API token''s owner, scopes and secret never change; create a new token' using errcode = 'restrict_violation';
  end if;
  return new;
end;
$$;

create trigger api_tokens_stay_revoked
  before update on api_tokens
  for each row execute function api_tokens_stay_revoked();

alter table api_tokens enable row level security;
