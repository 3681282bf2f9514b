-- Invariant: one contact per phone number (unique keyed hash of the E.164
-- number), and identity-check secrets are never stored in clear.
--
-- Encrypted (AES-256-GCM by lib/crypto, bound to the row and column): name,
-- date of birth, ZIP and custom attributes. ZIP and date of birth are the
-- knowledge check of `verify.identity`; readable copies would make that check
-- worthless to anyone holding a dump. Name and attributes are personal data
-- nothing queries by.
--
-- In clear: the E.164 number (every send and the STOP path need it, and the
-- area code decides time zones), and the coarse routing facts `zone` and
-- `state`, which the send-time guard and the per-state marketing pause query.
--
-- `phone_hash` (HMAC-SHA256 keyed from APP_SECRET) is the look-up key for
-- inbound texts. It outlives erasure: an erased contact keeps its hash, so a
-- STOP stays binding for that number (COMPLIANCE.md: an opt-out never
-- expires) without keeping the number itself.

create table contacts (
  id uuid primary key default gen_random_uuid(),
  phone_e164 text check (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  phone_hash text not null unique check (phone_hash ~ '^[0-9a-f]{64}$'),
  name_enc bytea,
  dob_enc bytea,
  zip_enc bytea,
  attributes_enc bytea,
  zone text check (zone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$'),
  state text check (state ~ '^[A-Z]{2}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  erased_at timestamptz,
  check (
    (erased_at is null and phone_e164 is not null)
    or (erased_at is not null and phone_e164 is null
        and name_enc is null and dob_enc is null and zip_enc is null and attributes_enc is null)
  )
);

create trigger contacts_touch_updated_at
  before update on contacts
  for each row execute function optline_touch_updated_at();

create index contacts_by_state on contacts (state) where state is not null;
