-- Invariant: every person who can sign in has exactly one role from the
-- fixed list, there is at most one owner, and a disabled account keeps its
-- row (its id stays in the audit log, reviews and versions it authored).
-- These are better-auth's tables (users, sessions, password accounts,
-- verification values, TOTP secrets and backup codes, rate-limit counters),
-- with the names Optline configures (lib/auth/auth-options.ts) and columns
-- as better-auth's own migration generator prints them for Postgres.

create table "auth_users" (
  "id" text not null primary key,
  "name" text not null,
  "email" text not null unique,
  "emailVerified" boolean not null,
  "image" text,
  "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
  "updatedAt" timestamptz default CURRENT_TIMESTAMP not null,
  "twoFactorEnabled" boolean,
  "role" text not null default 'editor' check ("role" in ('owner', 'admin', 'editor', 'developer', 'reviewer')),
  "disabled" boolean not null default false
);

create unique index auth_users_one_owner on "auth_users" ("role") where "role" = 'owner';

create table "auth_sessions" (
  "id" text not null primary key,
  "expiresAt" timestamptz not null,
  "token" text not null unique,
  "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
  "updatedAt" timestamptz not null,
  "ipAddress" text,
  "userAgent" text,
  "userId" text not null references "auth_users" ("id") on delete cascade
);

create table "auth_accounts" (
  "id" text not null primary key,
  "accountId" text not null,
  "providerId" text not null,
  "userId" text not null references "auth_users" ("id") on delete cascade,
  "accessToken" text,
  "refreshToken" text,
  "idToken" text,
  "accessTokenExpiresAt" timestamptz,
  "refreshTokenExpiresAt" timestamptz,
  "scope" text,
  "password" text,
  "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
  "updatedAt" timestamptz not null
);

create table "auth_verifications" (
  "id" text not null primary key,
  "identifier" text not null,
  "value" text not null,
  "expiresAt" timestamptz not null,
  "createdAt" timestamptz default CURRENT_TIMESTAMP not null,
  "updatedAt" timestamptz default CURRENT_TIMESTAMP not null
);

create table "auth_two_factors" (
  "id" text not null primary key,
  "secret" text not null,
  "backupCodes" text not null,
  "userId" text not null references "auth_users" ("id") on delete cascade,
  "verified" boolean,
  "failedVerificationCount" integer,
  "lockedUntil" timestamptz
);

create table "auth_rate_limits" (
  "id" text not null primary key,
  "key" text not null unique,
  "count" integer not null,
  "lastRequest" bigint not null
);

create index "auth_sessions_userId_idx" on "auth_sessions" ("userId");
create index "auth_accounts_userId_idx" on "auth_accounts" ("userId");
create index "auth_verifications_identifier_idx" on "auth_verifications" ("identifier");
create index "auth_two_factors_secret_idx" on "auth_two_factors" ("secret");
create index "auth_two_factors_userId_idx" on "auth_two_factors" ("userId");

alter table "auth_users" enable row level security;
alter table "auth_sessions" enable row level security;
alter table "auth_accounts" enable row level security;
alter table "auth_verifications" enable row level security;
alter table "auth_two_factors" enable row level security;
alter table "auth_rate_limits" enable row level security;
