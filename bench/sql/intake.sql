-- The SQL behind POST /v1/participants: look up the district and the target groups, check the
-- identity number, insert the person, the period and its target group, and the history, audit
-- and event records (the outbox lock included), in one transaction.
\set n random(1, 999999999999)
BEGIN;
SELECT d.*, j.* FROM districts d JOIN job_centres j ON j.code = d.job_centre_code WHERE d.code = 'rinkeby-kista';
SELECT * FROM target_groups ORDER BY sort_order;
SELECT id FROM participants WHERE personnummer = 'bench-' || :n;
INSERT INTO participants VALUES ('p-' || :n, 'bench-' || :n, 'Bench', 'Person', '1980-01-01', NULL, NULL, NULL, NULL, NULL, NULL, false, 'P-' || :n, 1, now(), now());
INSERT INTO participation_periods (id, participant_id, is_current, status, district_code, job_centre_code, referral_reason, requested_start, referred_on, referred_by, created_at)
VALUES ('pp-' || :n, 'p-' || :n, true, 'referred', 'rinkeby-kista', 'jarva', 'Benchmark intake.', '2026-12-01', CURRENT_DATE, 'bench', now());
INSERT INTO period_target_groups VALUES ('pp-' || :n, 'social_assistance_unemployed');
INSERT INTO field_history VALUES (gen_random_uuid()::text, 'participant', 'p-' || :n, 'p-' || :n, now(), 'bench', 'district_officer', 'bench', 'status', NULL, 'referred');
INSERT INTO access_log VALUES (gen_random_uuid()::text, now(), 'bench', 'district_officer', 'participant.referred', 'participant', 'p-' || :n, 'p-' || :n, 'bench');
SELECT pg_advisory_xact_lock(5363613856221327975);
INSERT INTO events (id, event_type, resource_type, resource_id, resource_version, occurred_at, jobbtorg_code, district_code, participant_id)
VALUES (gen_random_uuid()::text, 'participant.referred', 'participant', 'p-' || :n, 1, now(), 'jarva', 'rinkeby-kista', 'p-' || :n);
COMMIT;
