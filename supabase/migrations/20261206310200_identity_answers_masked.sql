-- Invariant: a text that answered an identity check (a ZIP code, a date of
-- birth, a one-time code) is kept in `messages` and `inbound_texts` only as
-- '[identity answer]' (IDENTITY_ANSWER_MASK, lib/runtime/identity-answer.ts),
-- as the answer on record is kept only as a keyed hash. The engine masks it
-- in the transaction that processes the text; the webhook stored it before
-- anyone knew what it answered.
--
-- The texts answered before this are masked here where the record tells
-- them apart: the inbox event an answer became (`identity.verified` or
-- `identity.failed`, under the text's provider id) or the "try again" text
-- a wrong answer got (effect id `<provider id>:retry`). A text sent while
-- the check's question was still held for quiet hours left no such trace
-- and stays as it was.

-- One statement, so both tables are masked from the same list of answers.
with answers as (
  select e.idempotency_key as sid from run_events e
  where e.kind = 'inbound_sms' and e.payload->'event'->>'type' in ('identity.verified', 'identity.failed')
  union
  select left(r.effect_id, -length(':retry')) from messages r
  where r.direction = 'outbound' and r.run_id is null and r.effect_id like '%:retry'
),
masked_messages as (
  update messages m set body = '[identity answer]'
  from answers a
  where m.direction = 'inbound' and m.provider_sid = a.sid and m.body <> '[identity answer]'
)
update inbound_texts t set body = '[identity answer]'
from answers a
where t.provider_sid = a.sid and t.body <> '[identity answer]';
