-- Failed sign-ins counted per email, whatever address they come from: a
-- guesser spreading tries over many addresses still meets the account's
-- limit (lib/auth/sign-in-throttle.ts holds the rule). One row per email;
-- a successful sign-in deletes it, rows older than the window are pruned.

create table "auth_sign_in_attempts" (
  "email" text not null primary key,
  "failures" integer not null check ("failures" >= 0),
  "firstFailureAt" timestamptz not null,
  "lastFailureAt" timestamptz not null
);

create index "auth_sign_in_attempts_lastFailureAt_idx" on "auth_sign_in_attempts" ("lastFailureAt");

alter table "auth_sign_in_attempts" enable row level security;

comment on table "auth_sign_in_attempts" is 'password attempts per email since the last success (each attempt counts until it succeeds); read by lib/auth/sign-in-throttle.ts';
