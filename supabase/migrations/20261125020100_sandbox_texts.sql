-- The sandbox's phone: what a sandbox text really said. The `messages` copy
-- of a text keeps secrets masked (a one-time code, a payment link's token);
-- in the sandbox no real person receives anything, so the developer must see
-- the text as sent to test the flow. Only the sandbox provider writes here;
-- with Twilio this table stays empty.

create table sandbox_texts (
  message_id uuid primary key references messages (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now()
);

alter table sandbox_texts enable row level security;
