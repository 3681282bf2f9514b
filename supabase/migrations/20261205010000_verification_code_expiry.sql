-- A one-time code dies ten minutes after it was issued: a reply with it after
-- that fails the check instead of verifying (a code read late, or by someone
-- else later, proves nothing). ZIP and date-of-birth checks have no expiry of
-- their own; the node's timeout bounds every check.

alter table verifications add column expires_at timestamptz;

comment on column verifications.expires_at is 'when a one-time code stops verifying (issued + 10 minutes); null for zip and dob';
