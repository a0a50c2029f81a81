-- Activity plans, their activities and the district's decisions on them.
CREATE TABLE activity_plans (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT NOT NULL REFERENCES participants (id),
    period_id       TEXT NOT NULL REFERENCES participation_periods (id),
    plan_number     INTEGER NOT NULL,
    status          TEXT NOT NULL,
    valid_from      DATE NOT NULL,
    valid_to        DATE NOT NULL,
    goal            TEXT NOT NULL,
    goal_ssyk       TEXT,
    wishes          TEXT,
    revision_of     TEXT REFERENCES activity_plans (id),
    version         INTEGER NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (participant_id, plan_number)
);
CREATE INDEX activity_plans_participant_idx ON activity_plans (participant_id);

CREATE TABLE plan_activities (
    id                   TEXT PRIMARY KEY,
    plan_id              TEXT NOT NULL REFERENCES activity_plans (id),
    position             INTEGER NOT NULL,
    activity_type        TEXT NOT NULL REFERENCES activity_types (code),
    description          TEXT NOT NULL,
    provider_kind        TEXT NOT NULL,
    starts_on            DATE NOT NULL,
    ends_on              DATE NOT NULL,
    hours_per_week       INTEGER NOT NULL,
    expected_result      TEXT,
    status               TEXT NOT NULL,
    follow_up_result     TEXT,
    followed_up_on       DATE,
    discontinued_reason  TEXT,
    replaced_by          TEXT
);
CREATE INDEX plan_activities_plan_idx ON plan_activities (plan_id);

CREATE TABLE plan_decisions (
    id            TEXT PRIMARY KEY,
    plan_id       TEXT NOT NULL REFERENCES activity_plans (id),
    decision      TEXT NOT NULL,
    decided_by    TEXT NOT NULL,
    decided_at    TIMESTAMP NOT NULL,
    reason        TEXT,
    plan_version  INTEGER NOT NULL,
    content_hash  TEXT NOT NULL
);
CREATE INDEX plan_decisions_plan_idx ON plan_decisions (plan_id);
