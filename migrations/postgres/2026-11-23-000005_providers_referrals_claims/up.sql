-- Providers, their contracts, referrals to them with progress reports, and payment claims.
-- Arbetsförmedlingen's own programmes are reference data, so a contract duplicating one can be
-- flagged (the 2019 report: the city should not procure what the state already offers).
CREATE TABLE af_programmes (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    activity_type  TEXT NOT NULL REFERENCES activity_types (code),
    sort_order     INTEGER NOT NULL
);

CREATE TABLE af_programme_target_groups (
    programme_code     TEXT NOT NULL REFERENCES af_programmes (code),
    target_group_code  TEXT NOT NULL REFERENCES target_groups (code),
    PRIMARY KEY (programme_code, target_group_code)
);

INSERT INTO af_programmes (code, name, activity_type, sort_order) VALUES
    ('af_rusta_och_matcha',          'Rusta och matcha',              'job_matching',            1),
    ('af_arbetsmarknadsutbildning',  'Arbetsmarknadsutbildning',      'short_vocational_course', 2),
    ('af_validering',                'Validering',                    'validation',              3),
    ('af_jobbgaranti_ungdomar',      'Jobbgarantin för ungdomar',     'job_search',              4);

INSERT INTO af_programme_target_groups (programme_code, target_group_code) VALUES
    ('af_rusta_och_matcha',         'social_assistance_unemployed'),
    ('af_rusta_och_matcha',         'refugee_introduction'),
    ('af_arbetsmarknadsutbildning', 'social_assistance_unemployed'),
    ('af_arbetsmarknadsutbildning', 'refugee_introduction'),
    ('af_validering',               'refugee_introduction'),
    ('af_validering',               'social_assistance_unemployed'),
    ('af_jobbgaranti_ungdomar',     'youth_16_24');

CREATE TABLE providers (
    id          TEXT PRIMARY KEY,
    org_number  TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE provider_contacts (
    id           TEXT PRIMARY KEY,
    provider_id  TEXT NOT NULL REFERENCES providers (id),
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    role         TEXT,
    email        TEXT,
    phone        TEXT
);
CREATE INDEX provider_contacts_provider_idx ON provider_contacts (provider_id);

CREATE TABLE contracts (
    id                     TEXT PRIMARY KEY,
    provider_id            TEXT NOT NULL REFERENCES providers (id),
    reference              TEXT NOT NULL UNIQUE,
    procurement_form       TEXT NOT NULL,
    valid_from             DATE NOT NULL,
    valid_to               DATE NOT NULL,
    capacity               INTEGER NOT NULL,
    start_fee_ore          BIGINT NOT NULL,
    status                 TEXT NOT NULL,
    overlaps_af_programme  BOOLEAN NOT NULL,
    version                INTEGER NOT NULL,
    created_at             TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL
);
CREATE INDEX contracts_provider_idx ON contracts (provider_id);

-- What a contract covers: dimension is activity_type, target_group or job_centre.
CREATE TABLE contract_coverage (
    contract_id  TEXT NOT NULL REFERENCES contracts (id),
    dimension    TEXT NOT NULL,
    code         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (contract_id, dimension, code)
);
CREATE INDEX contract_coverage_code_idx ON contract_coverage (dimension, code);

CREATE TABLE contract_result_steps (
    contract_id    TEXT NOT NULL REFERENCES contracts (id),
    claim_trigger  TEXT NOT NULL,
    amount_ore     BIGINT NOT NULL,
    position       INTEGER NOT NULL,
    PRIMARY KEY (contract_id, claim_trigger)
);

CREATE TABLE referrals (
    id                       TEXT PRIMARY KEY,
    participant_id           TEXT NOT NULL REFERENCES participants (id),
    period_id                TEXT NOT NULL REFERENCES participation_periods (id),
    job_centre_code          TEXT NOT NULL,
    district_code            TEXT NOT NULL,
    plan_id                  TEXT REFERENCES activity_plans (id),
    activity_id              TEXT,
    activity_type            TEXT NOT NULL REFERENCES activity_types (code),
    starts_on                DATE NOT NULL,
    ends_on                  DATE NOT NULL,
    provider_id              TEXT NOT NULL REFERENCES providers (id),
    contract_id              TEXT NOT NULL REFERENCES contracts (id),
    chosen_by_participant    BOOLEAN NOT NULL,
    allocation_reason        TEXT,
    consent_id               TEXT,
    statutory_basis          TEXT,
    note                     TEXT,
    referred_by              TEXT NOT NULL,
    status                   TEXT NOT NULL,
    decline_reason           TEXT,
    -- The note of how it ended: the decline note, the cancel reason or the interrupt reason.
    end_note                 TEXT,
    started_on               DATE,
    ended_on                 DATE,
    outcome                  TEXT,
    outcome_employment_form  TEXT,
    outcome_extent           TEXT,
    outcome_wage_subsidy     BOOLEAN,
    outcome_ssyk             TEXT,
    outcome_reason           TEXT,
    version                  INTEGER NOT NULL,
    -- When it was sent; its date starts the 5 working days to answer.
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL
);
CREATE INDEX referrals_provider_idx ON referrals (provider_id, id);
CREATE INDEX referrals_job_centre_idx ON referrals (job_centre_code, id);
CREATE INDEX referrals_district_idx ON referrals (district_code, id);
CREATE INDEX referrals_contract_idx ON referrals (contract_id, status);
CREATE INDEX referrals_participant_idx ON referrals (participant_id);

CREATE TABLE progress_reports (
    id            TEXT PRIMARY KEY,
    referral_id   TEXT NOT NULL REFERENCES referrals (id),
    granularity   TEXT NOT NULL,
    period_from   DATE NOT NULL,
    period_to     DATE NOT NULL,
    comment       TEXT,
    reported_by   TEXT NOT NULL,
    reported_at   TIMESTAMP NOT NULL
);
CREATE INDEX progress_reports_referral_idx ON progress_reports (referral_id);

CREATE TABLE progress_lines (
    id                TEXT PRIMARY KEY,
    report_id         TEXT NOT NULL REFERENCES progress_reports (id),
    referral_id       TEXT NOT NULL REFERENCES referrals (id),
    position          INTEGER NOT NULL,
    line_date         DATE NOT NULL,
    attended_minutes  INTEGER NOT NULL,
    absent_minutes    INTEGER NOT NULL,
    absence_reason    TEXT
);
CREATE INDEX progress_lines_report_idx ON progress_lines (report_id);

-- One claim per referral and step: the unique key makes a second claim for a step impossible
-- even if two requests race.
CREATE TABLE claims (
    id              TEXT PRIMARY KEY,
    referral_id     TEXT NOT NULL REFERENCES referrals (id),
    contract_id     TEXT NOT NULL REFERENCES contracts (id),
    provider_id     TEXT NOT NULL REFERENCES providers (id),
    claim_trigger   TEXT NOT NULL,
    amount_ore      BIGINT NOT NULL,
    status          TEXT NOT NULL,
    terms_snapshot  TEXT NOT NULL,
    evidence        TEXT NOT NULL,
    decided_by      TEXT,
    decided_at      TIMESTAMP,
    reject_reason   TEXT,
    paid_on         DATE,
    version         INTEGER NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (referral_id, claim_trigger)
);
CREATE INDEX claims_provider_idx ON claims (provider_id, id);
CREATE INDEX claims_contract_idx ON claims (contract_id, id);
