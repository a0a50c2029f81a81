-- What case workers need every day (issue 15): the case journal, absence reports to the home
-- district, moves between districts, and the mark retention leaves on an anonymised person.

-- A dated, signed note; never edited or deleted. A correction is a note of its own that names
-- the note it corrects (`corrects`) and is shown beside it.
CREATE TABLE journal_entries (
    id               TEXT PRIMARY KEY,
    participant_id   TEXT NOT NULL REFERENCES participants (id),
    period_id        TEXT NOT NULL REFERENCES participation_periods (id),
    corrects         TEXT REFERENCES journal_entries (id),
    entry_date       DATE NOT NULL,
    body             TEXT NOT NULL,
    confidential     BOOLEAN NOT NULL,
    author_subject   TEXT NOT NULL,
    author_role      TEXT NOT NULL,
    author_jobbtorg  TEXT,
    author_district  TEXT,
    written_at       TIMESTAMP NOT NULL
);
CREATE INDEX journal_entries_participant_idx ON journal_entries (participant_id);

-- An absence or deviation from an activity: by the provider's staff on a referral, or by the
-- coach for an own-regime activity. The home district marks it seen.
CREATE TABLE absences (
    id               TEXT PRIMARY KEY,
    participant_id   TEXT NOT NULL REFERENCES participants (id),
    period_id        TEXT NOT NULL REFERENCES participation_periods (id),
    referral_id      TEXT REFERENCES referrals (id),
    provider_id      TEXT REFERENCES providers (id),
    absent_on        DATE NOT NULL,
    from_time        TEXT,
    to_time          TEXT,
    reason           TEXT NOT NULL,
    note             TEXT,
    late_reason      TEXT,
    reported_by      TEXT NOT NULL,
    reported_role    TEXT NOT NULL,
    reported_at      TIMESTAMP NOT NULL,
    seen_by          TEXT,
    seen_at          TIMESTAMP,
    version          INTEGER NOT NULL
);
CREATE INDEX absences_participant_idx ON absences (participant_id);
CREATE INDEX absences_unseen_idx ON absences (period_id) WHERE seen_at IS NULL;

-- A move to another home district: asked by the coach or the current district, answered by an
-- officer of the new district. At most one is open per participant.
CREATE TABLE transfers (
    id                   TEXT PRIMARY KEY,
    participant_id       TEXT NOT NULL REFERENCES participants (id),
    period_id            TEXT NOT NULL REFERENCES participation_periods (id),
    from_district_code   TEXT NOT NULL,
    from_job_centre_code TEXT NOT NULL,
    to_district_code     TEXT NOT NULL,
    to_job_centre_code   TEXT,
    moves_on             DATE NOT NULL,
    note                 TEXT,
    status               TEXT NOT NULL,
    requested_by         TEXT NOT NULL,
    requested_role       TEXT NOT NULL,
    requested_at         TIMESTAMP NOT NULL,
    decided_by           TEXT,
    decided_at           TIMESTAMP,
    decision_note        TEXT,
    coach_subject        TEXT,
    handover_id          TEXT REFERENCES handovers (id),
    version              INTEGER NOT NULL
);
CREATE INDEX transfers_participant_idx ON transfers (participant_id);
CREATE UNIQUE INDEX transfers_one_open_idx ON transfers (participant_id) WHERE status = 'requested';

-- Set when retention has replaced the person's identity and removed free text.
ALTER TABLE participants ADD COLUMN anonymised_at TIMESTAMP;
