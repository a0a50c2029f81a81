-- Participants (the person) and their participation periods (each intake from the home
-- district), with interruptions, follow-ups, the mapping, consents and field-level history.
CREATE TABLE participants (
    id                 TEXT PRIMARY KEY,
    personnummer       TEXT NOT NULL UNIQUE,
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    birth_date         DATE NOT NULL,
    phone              TEXT,
    email              TEXT,
    street_address     TEXT,
    postal_code        TEXT,
    city               TEXT,
    language_needs     TEXT,
    protected_identity BOOLEAN NOT NULL,
    pseudonym          TEXT NOT NULL UNIQUE,
    version            INTEGER NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);

CREATE TABLE participation_periods (
    id                    TEXT PRIMARY KEY,
    participant_id        TEXT NOT NULL REFERENCES participants (id),
    is_current            BOOLEAN NOT NULL,
    status                TEXT NOT NULL,
    district_code         TEXT NOT NULL REFERENCES districts (code),
    job_centre_code       TEXT NOT NULL REFERENCES job_centres (code),
    referral_reason       TEXT NOT NULL,
    requested_start       DATE NOT NULL,
    referred_on           DATE NOT NULL,
    referred_by           TEXT NOT NULL,
    enrolled_on           DATE,
    coach_subject         TEXT,
    plan_due_on           DATE,
    plan_approved_on      DATE,
    af_registered_on      DATE,
    exited_on             DATE,
    exit_outcome          TEXT,
    exit_employment_form  TEXT,
    exit_extent           TEXT,
    exit_wage_subsidy     BOOLEAN,
    exit_ssyk             TEXT,
    exit_reason           TEXT,
    created_at            TIMESTAMP NOT NULL
);
CREATE INDEX participation_periods_participant_idx ON participation_periods (participant_id);
CREATE INDEX participation_periods_current_centre_idx ON participation_periods (is_current, job_centre_code, participant_id);
CREATE INDEX participation_periods_current_district_idx ON participation_periods (is_current, district_code, participant_id);

CREATE TABLE period_target_groups (
    period_id          TEXT NOT NULL REFERENCES participation_periods (id),
    target_group_code  TEXT NOT NULL REFERENCES target_groups (code),
    PRIMARY KEY (period_id, target_group_code)
);

CREATE TABLE interruptions (
    id              TEXT PRIMARY KEY,
    period_id       TEXT NOT NULL REFERENCES participation_periods (id),
    participant_id  TEXT NOT NULL REFERENCES participants (id),
    reason          TEXT NOT NULL,
    started_on      DATE NOT NULL,
    ended_on        DATE,
    note            TEXT
);
CREATE INDEX interruptions_participant_idx ON interruptions (participant_id);

CREATE TABLE follow_ups (
    id                TEXT PRIMARY KEY,
    period_id         TEXT NOT NULL REFERENCES participation_periods (id),
    participant_id    TEXT NOT NULL REFERENCES participants (id),
    months            INTEGER NOT NULL CHECK (months IN (2, 8)),
    followed_up_on    DATE NOT NULL,
    self_supporting   BOOLEAN NOT NULL,
    employment_form   TEXT,
    extent            TEXT,
    wage_subsidy      BOOLEAN,
    ssyk              TEXT,
    recorded_at       TIMESTAMP NOT NULL,
    UNIQUE (period_id, months)
);

CREATE TABLE assessments (
    participant_id   TEXT PRIMARY KEY REFERENCES participants (id),
    work_history     TEXT,
    education        TEXT,
    languages        TEXT,
    sfi_test_result  TEXT,
    guidance_notes   TEXT,
    parties_involved TEXT,
    version          INTEGER NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    updated_by       TEXT NOT NULL
);

CREATE TABLE consents (
    id                     TEXT PRIMARY KEY,
    participant_id         TEXT NOT NULL REFERENCES participants (id),
    shares                 TEXT NOT NULL,
    recipient_kind         TEXT NOT NULL,
    recipient_provider_id  TEXT,
    given_on               DATE NOT NULL,
    withdrawn_on           DATE,
    recorded_by            TEXT NOT NULL,
    created_at             TIMESTAMP NOT NULL
);
CREATE INDEX consents_participant_idx ON consents (participant_id);

CREATE TABLE field_history (
    id             TEXT PRIMARY KEY,
    resource_type  TEXT NOT NULL,
    resource_id    TEXT NOT NULL,
    participant_id TEXT,
    changed_at     TIMESTAMP NOT NULL,
    actor_subject  TEXT NOT NULL,
    actor_role     TEXT NOT NULL,
    request_id     TEXT NOT NULL,
    field          TEXT NOT NULL,
    old_value      TEXT,
    new_value      TEXT
);
CREATE INDEX field_history_resource_idx ON field_history (resource_type, resource_id, changed_at);
