-- Invariant: the Data API (PostgREST; on Supabase, the project's own) reads
-- Optline only through the read-only views of the `optline_api` schema, and
-- sees exactly what the caller's permissions let the console show. A caller
-- is the `authenticated` role with a JWT from POST /api/data-token whose
-- `permissions` claim lists what lib/access/roles.ts grants its role (and,
-- for an API token, its scopes); `anon` is granted nothing. The views run
-- with the caller's rights (security_invoker), so the row level security
-- policies below decide which rows it reads: every policy asks for the
-- `read` permission, as every console page and GET route over these tables
-- does (lib/auth/route-permissions.ts). Nothing is writable: there is no
-- write grant and no write policy; writes go through the REST API, which
-- keeps the invariants. Secrets never reach a view: no payment token or its
-- hash, no checkout URL, no verification code, no API token; phone numbers
-- only masked as the console masks them (lib/runs/mask-phone.ts), and a text
-- only as stored (codes and payment links already masked by the engine;
-- a payment link is masked here again). The tables' own columns are granted
-- one by one, so on Supabase (whose Data API also exposes `public`) the
-- tables show no more than the views.
--
-- The PostgREST roles are created only where missing: a Supabase project has
-- them already (the migration then only grants). `authenticator` is made by
-- this migration NOLOGIN and without a password; the app gives it both when
-- it starts its own PostgREST (lib/db/data-api-roles.ts), and only when the
-- role is this migration's (its comment says so), never Supabase's.

do $$
declare
  r text;
begin
  foreach r in array array['anon', 'authenticated'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin noinherit', r);
      exception when duplicate_object or unique_violation then
        null; -- another database's migration made it at the same moment
      end;
    end if;
  end loop;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    begin
      create role authenticator nologin noinherit;
      comment on role authenticator is 'optline: PostgREST login role';
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
  -- Only where missing: on Supabase the membership is there and the migrating role may not hold the grant option.
  foreach r in array array['anon', 'authenticated'] loop
    if not pg_has_role('authenticator', r, 'member') then
      begin
        execute format('grant %I to authenticator', r);
      exception when others then
        -- Granted by a concurrent migration (role grants are cluster-wide).
        if not pg_has_role('authenticator', r, 'member') then raise; end if;
      end;
    end if;
  end loop;
end;
$$;

-- What the policies and views call. Not exposed by PostgREST (only
-- `optline_api` is), so none of it is an endpoint.
create schema optline_data_api_private;
revoke all on schema optline_data_api_private from public;
grant usage on schema optline_data_api_private to anon, authenticated;

-- Whether the request's JWT carries `permission` in its `permissions` claim.
create function optline_data_api_private.jwt_permits(permission text) returns boolean
language sql stable
set search_path = pg_catalog
as $$
  select coalesce(
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb -> 'permissions') ? permission,
    false
  )
$$;

-- The console's mask (lib/runs/mask-phone.ts): the country calling code,
-- then the national number's last four digits, the rest as dots, in groups
-- of four with the last two on their own: +12125551234 → '+1 •••• ••12 34'.
-- Calling codes are prefix-free, so at most one matches; libphonenumber-js's
-- list (a number with none keeps its first digit as the code, as there).
-- The same text for every number a contact can hold (valid, in E.164 as
-- libphonenumber-js writes it): lib/db/data-api-mask.test.ts compares them.
create function optline_data_api_private.mask_phone(e164 text) returns text
language sql immutable strict
set search_path = pg_catalog
as $$
  with code as (
    select coalesce(
      (select c from unnest(array[
        '211','212','213','216','218','220','221','222','223','224','225','226','227','228','229','230','231','232',
        '233','234','235','236','237','238','239','240','241','242','243','244','245','246','247','248','249','250',
        '251','252','253','254','255','256','257','258','260','261','262','263','264','265','266','267','268','269',
        '290','291','297','298','299','350','351','352','353','354','355','356','357','358','359','370','371','372',
        '373','374','375','376','377','378','380','381','382','383','385','386','387','389','420','421','423','500',
        '501','502','503','504','505','506','507','508','509','590','591','592','593','594','595','596','597','598',
        '599','670','672','673','674','675','676','677','678','679','680','681','682','683','685','686','687','688',
        '689','690','691','692','800','808','850','852','853','855','856','870','878','880','881','882','883','886',
        '888','960','961','962','963','964','965','966','967','968','970','971','972','973','974','975','976','977',
        '979','992','993','994','995','996','998','20','27','30','31','32','33','34','36','39','40','41','43','44',
        '45','46','47','48','49','51','52','53','54','55','56','57','58','60','61','62','63','64','65','66','81','82',
        '84','86','90','91','92','93','94','95','98','1','7'
      ]) c where substr(e164, 2, length(c)) = c limit 1),
      substr(e164, 2, 1)
    ) as c
  ), parts as (
    select c, substr(e164, 2 + length(c)) as national from code
  ), dotted as (
    select c, national, repeat('•', length(national) - 4) || right(national, 4) as masked from parts
  )
  select case
    when length(national) <= 4 then '+' || c || ' ' || repeat('•', length(national))
    else '+' || c || ' ' || array_to_string(array(
      select substr(left(masked, -2), i, 4) from generate_series(1, length(masked) - 2, 4) as i order by i
    ), ' ') || ' ' || right(masked, 2)
  end
  from dotted
$$;

-- A contact's masked number for a row the caller may already read (a run, a
-- text). Security definer: the callers hold no grant on the number itself,
-- so neither the Data API nor a query on `contacts` can read it whole.
create function optline_data_api_private.contact_phone(contact uuid) returns text
language sql stable security definer
set search_path = pg_catalog, public
as $$
  select optline_data_api_private.mask_phone(phone_e164) from public.contacts where id = contact
$$;
revoke all on function optline_data_api_private.contact_phone(uuid) from public;
grant execute on function optline_data_api_private.contact_phone(uuid) to authenticated;

-- A stored text with any payment link's token masked (lib/providers/sandbox/sandbox-message-view.ts).
create function optline_data_api_private.mask_pay_links(body text) returns text
language sql immutable strict
set search_path = pg_catalog
as $$
  select regexp_replace(body, '/pay/[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])', '/pay/…', 'g')
$$;

-- On Supabase the tables were granted to anon and authenticated by default
-- privileges; from here on they hold only the column grants below.
revoke all on flows, flow_versions, reviews, runs, run_steps, messages, payments, consent_events,
  contacts, consent_chain_head, run_events, audit_log, settings
  from anon, authenticated;

grant select (id, name, created_at, updated_at, archived_at) on flows to authenticated;
grant select (id, flow_id, version, content_hash, status, created_at, status_changed_at) on flow_versions to authenticated;
grant select (flow_version_id, decision, analyzer_version, acknowledged_warnings, created_at) on reviews to authenticated;
grant select (id, flow_version_id, contact_id, status, stop_reason, created_at, updated_at, ended_at) on runs to authenticated;
grant select (run_id, step, seq, event_type, from_node, to_node, at) on run_steps to authenticated;
grant select (id, direction, contact_id, run_id, purpose, body, status, error, created_at, updated_at, sent_at)
  on messages to authenticated;
grant select (id, run_id, contact_id, amount_minor, currency, description, status, provider, failure_reason,
  expires_at, paid_at, created_at) on payments to authenticated;
grant select (id, contact_id, action, purpose, source, channel, text_shown, reply, run_id, occurred_at, recorded_at)
  on consent_events to authenticated;

create policy data_api_read on flows for select to authenticated using (optline_data_api_private.jwt_permits('read'));
create policy data_api_read on flow_versions for select to authenticated using (optline_data_api_private.jwt_permits('read'));
create policy data_api_read on reviews for select to authenticated using (optline_data_api_private.jwt_permits('read'));
create policy data_api_read on runs for select to authenticated using (optline_data_api_private.jwt_permits('read'));
create policy data_api_read on run_steps for select to authenticated using (optline_data_api_private.jwt_permits('read'));
create policy data_api_read on messages for select to authenticated using (optline_data_api_private.jwt_permits('read'));
create policy data_api_read on payments for select to authenticated using (optline_data_api_private.jwt_permits('read'));
-- The consent ledger page and GET /api/consent ask for `read` too.
create policy data_api_read on consent_events for select to authenticated using (optline_data_api_private.jwt_permits('read'));

create schema optline_api;
revoke all on schema optline_api from public;
grant usage on schema optline_api to anon, authenticated;

create view optline_api.flows with (security_invoker = true) as
  select id, name, created_at, updated_at, archived_at from public.flows;

-- A version with its review: the latest decision and the analyzer version it was bound to.
create view optline_api.flow_versions with (security_invoker = true) as
  select v.id, v.flow_id, v.version, v.content_hash, v.status, v.created_at, v.status_changed_at,
    r.decision as review_decision, r.analyzer_version, r.acknowledged_warnings, r.created_at as reviewed_at
  from public.flow_versions v
  left join lateral (
    select decision, analyzer_version, acknowledged_warnings, created_at from public.reviews
    where flow_version_id = v.id order by created_at desc limit 1
  ) r on true;

create view optline_api.runs with (security_invoker = true) as
  select r.id, v.flow_id, r.flow_version_id, v.version as flow_version, r.contact_id,
    optline_data_api_private.contact_phone(r.contact_id) as contact_phone,
    r.status, r.stop_reason, r.created_at, r.updated_at, r.ended_at
  from public.runs r join public.flow_versions v on v.id = r.flow_version_id;

create view optline_api.run_steps with (security_invoker = true) as
  select run_id, step, seq, event_type, from_node, to_node, at from public.run_steps;

create view optline_api.messages with (security_invoker = true) as
  select id, run_id, contact_id, optline_data_api_private.contact_phone(contact_id) as contact_phone, direction, purpose,
    optline_data_api_private.mask_pay_links(body) as body, status, error, created_at, updated_at, sent_at
  from public.messages;

create view optline_api.payments with (security_invoker = true) as
  select id, run_id, contact_id, amount_minor, currency, description, status, provider, failure_reason,
    expires_at, paid_at, created_at
  from public.payments;

create view optline_api.consent_events with (security_invoker = true) as
  select id, contact_id, action, purpose, source, channel, text_shown, reply, run_id, occurred_at, recorded_at
  from public.consent_events;

grant select on all tables in schema optline_api to authenticated;
