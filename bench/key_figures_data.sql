-- Data for the key-figure rows of `make bench` (PostgreSQL), in a database of their own: a city
-- of :periods participation periods over 2.5 years (2024-07-01 to 2026-12-31), each with a
-- target group and one referral to one of eight providers, most of them enrolled, started and
-- ended with a coded outcome, follow-ups at 2 and 8 months, attendance lines and a paid start
-- fee for four in five. Written as SQL because it is volume, not behaviour: the operations
-- layer is what the other rows measure. Run with psql -v periods=100000.
BEGIN;
INSERT INTO providers (id, org_number, name, kind, status, version, created_at, updated_at)
SELECT 'kf-provider-' || i, '556000-00' || i, 'Provider ' || i, 'lou', 'active', 1, now(), now()
FROM generate_series(1, 8) i;
INSERT INTO contracts (id, provider_id, reference, procurement_form, valid_from, valid_to, capacity, start_fee_ore,
                       status, overlaps_af_programme, version, created_at, updated_at)
SELECT 'kf-contract-' || i, 'kf-provider-' || i, 'KF-' || i, 'lou_framework', '2024-01-01', '2027-12-31', 1000000,
       500000, 'active', false, 1, now(), now()
FROM generate_series(1, 8) i;

CREATE TEMP TABLE kf_districts AS
SELECT code, job_centre_code, (ROW_NUMBER() OVER (ORDER BY code)) - 1 AS n FROM districts;
CREATE TEMP TABLE kf_groups AS
SELECT code, (ROW_NUMBER() OVER (ORDER BY sort_order)) - 1 AS n FROM target_groups WHERE NOT derived;

-- One row per period: its dates spread over the 2.5 years, its district and group by number.
CREATE TEMP TABLE kf AS
SELECT g,
       DATE '2024-07-01' + (g * 7919 % 913) AS referred_on,
       g % 10 <> 0 AS enrolled,
       g % 10 NOT IN (0, 1) AS started,
       g % 5 <> 0 AS exited
FROM generate_series(1, :periods) g;

INSERT INTO participants (id, personnummer, first_name, last_name, birth_date, protected_identity, pseudonym,
                          version, created_at, updated_at)
SELECT 'kf-p-' || g, 'kf-' || g, 'Bench', 'Person', DATE '1970-01-01' + (g % 12000), false, 'KF-' || g, 1, now(), now()
FROM kf;
INSERT INTO participation_periods (id, participant_id, is_current, status, district_code, job_centre_code,
    referral_reason, requested_start, referred_on, referred_by, enrolled_on, coach_subject, plan_due_on,
    plan_approved_on, exited_on, exit_outcome, exit_employment_form, exit_extent, exit_wage_subsidy, created_at)
SELECT 'kf-pp-' || g, 'kf-p-' || g, true,
       CASE WHEN exited THEN 'exited' WHEN enrolled THEN 'enrolled' ELSE 'referred' END,
       d.code, d.job_centre_code, 'Benchmark.', referred_on, referred_on, 'bench',
       CASE WHEN enrolled THEN referred_on + 3 END,
       CASE WHEN enrolled THEN 'coach-' || (g % 40) END,
       CASE WHEN enrolled THEN referred_on + 10 END,
       CASE WHEN enrolled AND g % 7 <> 0 THEN referred_on + 3 + (g % 12) END,
       CASE WHEN exited THEN referred_on + 60 + (g % 300) END,
       CASE WHEN exited THEN (ARRAY['employment', 'studies', 'other_support', 'moved', 'no_show', 'other'])[1 + g % 6] END,
       CASE WHEN exited AND g % 6 = 0 THEN 'permanent' END,
       CASE WHEN exited AND g % 6 = 0 THEN 'full_time' END,
       CASE WHEN exited AND g % 6 = 0 THEN false END,
       now()
FROM kf JOIN kf_districts d ON d.n = kf.g % (SELECT COUNT(*) FROM kf_districts);
INSERT INTO period_target_groups (period_id, target_group_code)
SELECT 'kf-pp-' || g, t.code FROM kf JOIN kf_groups t ON t.n = kf.g % (SELECT COUNT(*) FROM kf_groups);

INSERT INTO referrals (id, participant_id, period_id, job_centre_code, district_code, activity_type, starts_on,
    ends_on, provider_id, contract_id, chosen_by_participant, referred_by, status, decline_reason, started_on,
    ended_on, version, created_at, updated_at)
SELECT 'kf-r-' || g, 'kf-p-' || g, 'kf-pp-' || g, p.job_centre_code, p.district_code, 'mapping',
       p.referred_on + 5, p.referred_on + 90, 'kf-provider-' || (1 + g % 8), 'kf-contract-' || (1 + g % 8), false,
       'bench',
       CASE WHEN kf.started AND kf.exited THEN 'completed' WHEN kf.started THEN 'in_progress'
            WHEN kf.enrolled THEN 'declined' ELSE 'sent' END,
       CASE WHEN kf.enrolled AND NOT kf.started THEN 'no_capacity' END,
       CASE WHEN kf.started THEN p.referred_on + 5 END,
       CASE WHEN kf.started AND kf.exited THEN p.referred_on + 90 END,
       1, p.referred_on + TIME '10:00', now()
FROM kf JOIN participation_periods p ON p.id = 'kf-pp-' || kf.g;

INSERT INTO follow_ups (id, period_id, participant_id, months, followed_up_on, self_supporting, recorded_at)
SELECT 'kf-f' || m || '-' || g, 'kf-pp-' || g, 'kf-p-' || g, m, p.exited_on + m * 30, g % 3 = 0, now()
FROM kf JOIN participation_periods p ON p.id = 'kf-pp-' || kf.g CROSS JOIN (VALUES (2), (8)) months(m)
WHERE kf.exited AND kf.started;

INSERT INTO progress_reports (id, referral_id, granularity, period_from, period_to, reported_by, reported_at)
SELECT 'kf-pr-' || g, 'kf-r-' || g, 'weekly', r.started_on, r.started_on + 6, 'bench', now()
FROM kf JOIN referrals r ON r.id = 'kf-r-' || kf.g WHERE kf.started;
INSERT INTO progress_lines (id, report_id, referral_id, position, line_date, attended_minutes, absent_minutes)
SELECT 'kf-pl-' || d || '-' || g, 'kf-pr-' || g, 'kf-r-' || g, d, r.started_on + d, 360, 0
FROM kf JOIN referrals r ON r.id = 'kf-r-' || kf.g CROSS JOIN generate_series(0, 4) d WHERE kf.started;

INSERT INTO claims (id, referral_id, contract_id, provider_id, claim_trigger, amount_ore, status, terms_snapshot,
                    evidence, decided_by, decided_at, paid_on, version, created_at, updated_at)
SELECT 'kf-c-' || g, r.id, r.contract_id, r.provider_id, 'start_fee', 500000, 'paid', '{}', 'Started.', 'bench',
       now(), r.started_on + 20, 1, now(), now()
FROM kf JOIN referrals r ON r.id = 'kf-r-' || kf.g WHERE kf.started;
COMMIT;
ANALYZE;
