-- Invariant: a run's snapshot holds no copy of the contact's personal
-- fields. The run row names its contact by `contact_id`; the engine reads
-- the name (encrypted in `contacts.name_enc`) from the contact record at the
-- moment a step or a send needs it, and stores the snapshot without
-- `context.contact`. Until now the engine copied the contact's name there in
-- clear when a run started; this removes those copies from every run,
-- active or ended (the version goes up by one, as for any change to a run).

update runs
set snapshot = snapshot #- '{context,contact}'
where snapshot->'context' ? 'contact';
