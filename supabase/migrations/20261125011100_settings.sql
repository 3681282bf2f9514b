-- Invariant: there is exactly one settings row (the sender's brand, HELP
-- text, STOP/START confirmations and the states where marketing is paused),
-- so every reader sees the same values and none has to handle "no settings".
-- The STOP confirmation carries no marketing (47 CFR 64.1200(a)(12)).

create table settings (
  singleton boolean primary key default true check (singleton),
  brand text not null default 'Optline' check (length(btrim(brand)) > 0),
  help_text text not null default 'Reply STOP to opt out. Msg & data rates may apply.',
  stop_confirmation_text text not null
    default 'You are unsubscribed and will receive no more messages. Reply START to resubscribe.',
  start_confirmation_text text not null
    default 'You are resubscribed. Reply HELP for help, STOP to opt out. Msg & data rates may apply.',
  paused_marketing_states text[] not null default '{}'
    check (array_to_string(paused_marketing_states, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
  updated_at timestamptz not null default now()
);

insert into settings default values;

create trigger settings_touch_updated_at
  before update on settings
  for each row execute function optline_touch_updated_at();

create function settings_keep_row() returns trigger
language plpgsql as $$
begin
  raise exception 'the settings row is never removed; update it instead' using errcode = 'restrict_violation';
end;
$$;

create trigger settings_keep_row
  before delete on settings
  for each row execute function settings_keep_row();

create trigger settings_no_truncate
  before truncate on settings
  for each statement execute function optline_refuse_change();
