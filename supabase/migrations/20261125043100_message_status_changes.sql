-- Invariant: every delivery status a message has had is kept with when it
-- changed, whoever wrote it (the engine's claim and send, a provider's status
-- callback, a failure): a trigger on `messages` appends a row on insert and
-- on each change of status, so no writer can skip it. `messages.status` stays
-- the latest; this is its history for the run inspector. Append-only.

create table message_status_changes (
  id bigint generated always as identity primary key,
  message_id uuid not null references messages (id) on delete restrict,
  status text not null,
  error text,
  at timestamptz not null
);

create index message_status_changes_by_message on message_status_changes (message_id, id);

create function messages_record_status_change() returns trigger
language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    insert into message_status_changes (message_id, status, error, at)
    values (
      new.id, new.status, new.error,
      -- The times the engine wrote (its clock) where there are some; a callback's change is the database's now().
      case
        when tg_op = 'INSERT' then new.created_at
        when new.status = 'sent' and new.sent_at is not null then new.sent_at
        else now()
      end
    );
  end if;
  return new;
end;
$$;

create trigger messages_record_status_change
  after insert or update of status on messages
  for each row execute function messages_record_status_change();

create trigger message_status_changes_append_only
  before update or delete on message_status_changes
  for each row execute function optline_refuse_change();

alter table message_status_changes enable row level security;
