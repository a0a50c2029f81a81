-- The SQL behind GET /v1/activity-plans/{id} for a coach: the plan, its activities and
-- decisions, the participant in scope (as GET /v1/participants/{id} reads it), and the
-- access-log insert, in one transaction.
BEGIN;
SELECT * FROM activity_plans WHERE id = '{plan}';
SELECT * FROM plan_activities WHERE plan_id IN ('{plan}') ORDER BY plan_id, position;
SELECT * FROM plan_decisions WHERE plan_id IN ('{plan}') ORDER BY plan_id, decided_at, id;
SELECT COUNT(*) FROM participation_periods WHERE is_current AND job_centre_code = 'jarva' AND participant_id = '{participant}';
SELECT * FROM participants WHERE id = '{participant}';
SELECT * FROM participation_periods WHERE participant_id = '{participant}' ORDER BY referred_on, created_at, id;
SELECT period_id, target_group_code FROM period_target_groups WHERE period_id IN (SELECT id FROM participation_periods WHERE participant_id = '{participant}') ORDER BY 1, 2;
SELECT * FROM interruptions WHERE participant_id = '{participant}' ORDER BY started_on, id;
SELECT * FROM follow_ups WHERE participant_id = '{participant}' ORDER BY followed_up_on, id;
INSERT INTO access_log (id, occurred_at, actor_subject, actor_role, action, resource_type, resource_id, participant_id, request_id)
VALUES (gen_random_uuid()::text, now(), 'bench', 'coach', 'activity_plan.read', 'participant', '{participant}', '{participant}', 'bench');
COMMIT;
