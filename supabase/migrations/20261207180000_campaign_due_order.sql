-- A start batch takes a campaign's due enrolments in (due_at, contact_id) order, a slice at a time. The index holds them in
-- that order, so a slice reads its own rows and stops; the index it replaces held (campaign_id, due_at) only, and every
-- slice of a campaign launched "now" (all due at the same moment) sorted all its waiting enrolments to take the first
-- 250: 0.44 s a slice with 71,500 waiting.
create index campaign_enrolments_due_order on campaign_enrolments (campaign_id, due_at, contact_id)
  where run_id is null and start_error is null;
drop index campaign_enrolments_due;
