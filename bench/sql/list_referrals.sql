-- Kept as the API sent it on 2026-12-02: the fixed floor of issue 14 (bench/notes.md says what
-- the API sends now).
-- The SQL behind GET /v1/referrals?limit=50 for a provider's staff: the page scoped to the
-- provider, the participant cards, and one access-log insert per listed referral (as the API
-- does; MultiConnection has no batch insert), in one transaction.
BEGIN;
SELECT * FROM referrals WHERE provider_id = '{provider}' ORDER BY id LIMIT 50;
SELECT id, first_name, last_name, pseudonym, protected_identity, phone, email, language_needs FROM participants WHERE id IN ('{participant}');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
COMMIT;
