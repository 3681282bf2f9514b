-- Invariant: the tables that hold records (consent evidence, reviews, the
-- audit log) can only grow. These trigger functions are the shared guards:
-- `optline_refuse_change` rejects UPDATE, DELETE and TRUNCATE on any table it
-- is attached to; `optline_touch_updated_at` keeps `updated_at` true without
-- trusting every writer to set it.

create function optline_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'restrict_violation',
          hint = 'Records are kept unchanged (COMPLIANCE.md, "Record keeping"); append a new row instead.';
end;
$$;

create function optline_touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
