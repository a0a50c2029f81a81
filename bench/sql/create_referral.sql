-- The SQL behind POST /v1/referrals (default allocation, statutory basis): the participant in
-- scope, the activity type, the allocation lock, the candidate contracts with coverage, steps,
-- providers and usage, the consents, the insert with its history, audit and event, and the
-- read-back, in one transaction.
BEGIN;
SELECT COUNT(*) FROM participation_periods WHERE is_current AND job_centre_code = 'jarva' AND participant_id = '{participant}';
SELECT * FROM participants WHERE id = '{participant}';
SELECT * FROM participation_periods WHERE participant_id = '{participant}' ORDER BY referred_on, created_at, id;
SELECT period_id, target_group_code FROM period_target_groups WHERE period_id IN (SELECT id FROM participation_periods WHERE participant_id = '{participant}') ORDER BY 1, 2;
SELECT * FROM interruptions WHERE participant_id = '{participant}' ORDER BY started_on, id;
SELECT * FROM follow_ups WHERE participant_id = '{participant}' ORDER BY followed_up_on, id;
SELECT COUNT(*) FROM activity_types WHERE code = 'mapping';
SELECT pg_advisory_xact_lock(5937264269655695724);
SELECT * FROM contracts WHERE id IN (SELECT contract_id FROM contract_coverage WHERE dimension = 'activity_type' AND code = 'mapping') ORDER BY reference;
SELECT contract_id, dimension, code FROM contract_coverage WHERE contract_id IN (SELECT contract_id FROM contract_coverage WHERE dimension = 'activity_type' AND code = 'mapping') ORDER BY contract_id, position;
SELECT contract_id, claim_trigger, amount_ore FROM contract_result_steps WHERE contract_id IN (SELECT contract_id FROM contract_coverage WHERE dimension = 'activity_type' AND code = 'mapping') ORDER BY contract_id, position;
SELECT * FROM providers WHERE id = '{provider}';
SELECT * FROM provider_contacts WHERE provider_id IN ('{provider}') ORDER BY provider_id, position;
SELECT contract_id, COUNT(*) FROM referrals WHERE contract_id IN (SELECT contract_id FROM contract_coverage WHERE dimension = 'activity_type' AND code = 'mapping') AND (status IN ('accepted', 'in_progress') OR (status = 'sent' AND created_at >= now() - interval '7 days')) GROUP BY contract_id;
SELECT contract_id, COUNT(*) FROM referrals WHERE contract_id IN (SELECT contract_id FROM contract_coverage WHERE dimension = 'activity_type' AND code = 'mapping') AND NOT chosen_by_participant GROUP BY contract_id;
SELECT * FROM consents WHERE participant_id = '{participant}' ORDER BY given_on, id;
INSERT INTO referrals (id, participant_id, period_id, job_centre_code, district_code, activity_type, starts_on, ends_on, provider_id, contract_id, chosen_by_participant, allocation_reason, statutory_basis, referred_by, status, version, created_at, updated_at)
SELECT 'floor-' || gen_random_uuid()::text, participant_id, id, job_centre_code, district_code, 'mapping', current_date, current_date + 20, '{provider}', (SELECT id FROM contracts WHERE reference = 'BENCH-1'), false, 'default allocation', 'SoL 4 kap. 4 §', 'bench', 'sent', 1, now(), now()
FROM participation_periods WHERE participant_id = '{participant}' AND is_current;
INSERT INTO field_history (id, resource_type, resource_id, participant_id, changed_at, actor_subject, actor_role, request_id, field, old_value, new_value)
VALUES (gen_random_uuid()::text, 'referral', 'floor', '{participant}', now(), 'bench', 'coach', 'bench', 'status', NULL, 'sent');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'coach', 'referral.sent', 'referral', 'floor', '{participant}', 'bench');
SELECT pg_advisory_xact_lock(5363613856221327975);
INSERT INTO events (id, event_type, resource_type, resource_id, resource_version, occurred_at, jobbtorg_code, district_code, provider_id, participant_id)
VALUES (gen_random_uuid()::text, 'referral.sent', 'referral', 'floor', 1, now(), 'jarva', 'rinkeby-kista', '{provider}', '{participant}');
SELECT * FROM referrals WHERE id = '{referral}';
SELECT id, first_name, last_name, pseudonym, protected_identity, phone, email, language_needs FROM participants WHERE id IN ('{participant}');
COMMIT;
