-- Development seed for `supabase db reset` (never run in production): the
-- demo sender used by the built-in templates. Idempotent.
--
-- Contacts and flows are not seeded here: a contact's phone hash and its
-- encrypted fields need APP_SECRET, which SQL does not have, and the
-- templates live in workflows/*.json (one source, imported by the app).

update settings set
  brand = 'Acme Dental',
  help_text = 'Acme Dental: appointment and billing texts. Call (212) 555-0100 for help. Reply STOP to opt out. Msg & data rates may apply.',
  stop_confirmation_text = 'Acme Dental: you are unsubscribed and will receive no more messages. Reply START to resubscribe.',
  start_confirmation_text = 'Acme Dental: you are resubscribed. Reply HELP for help, STOP to opt out. Msg & data rates may apply.';
