-- Kept as the API sent it on 2026-12-02: the fixed floor of issue 14 (bench/notes.md says what
-- the API sends now).
-- The SQL behind GET /v1/referrals/{id} for a provider's staff: the referral scoped to the
-- provider, the access-log insert and the participant card, in one transaction.
BEGIN;
SELECT * FROM referrals WHERE provider_id = '{provider}' AND id = '{referral}';
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'provider_staff', 'referral.read', 'referral', '{referral}', '{participant}', 'bench');
SELECT id, first_name, last_name, pseudonym, protected_identity, phone, email, language_needs FROM participants WHERE id IN ('{participant}');
COMMIT;
