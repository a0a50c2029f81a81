-- Each participation period's case file is its own (issue 13): the mapping is kept per period,
-- a consent belongs to the period that recorded it, and a handover shares named records of an
-- earlier period with a later one. Existing rows go to the period in force when they were made.
CREATE TABLE period_assessments (
    period_id        TEXT PRIMARY KEY REFERENCES participation_periods (id),
    participant_id   TEXT NOT NULL REFERENCES participants (id),
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
INSERT INTO period_assessments
SELECT COALESCE(
           (SELECT p.id FROM participation_periods p
             WHERE p.participant_id = a.participant_id AND p.created_at <= a.updated_at
             ORDER BY p.created_at DESC LIMIT 1),
           (SELECT p.id FROM participation_periods p
             WHERE p.participant_id = a.participant_id AND p.is_current)),
       a.participant_id, a.work_history, a.education, a.languages, a.sfi_test_result,
       a.guidance_notes, a.parties_involved, a.version, a.updated_at, a.updated_by
  FROM assessments a;
DROP TABLE assessments;
ALTER TABLE period_assessments RENAME TO assessments;
CREATE INDEX assessments_participant_idx ON assessments (participant_id);

ALTER TABLE consents ADD COLUMN period_id TEXT REFERENCES participation_periods (id);
UPDATE consents SET period_id = COALESCE(
    (SELECT p.id FROM participation_periods p
      WHERE p.participant_id = consents.participant_id AND p.created_at <= consents.created_at
      ORDER BY p.created_at DESC LIMIT 1),
    (SELECT p.id FROM participation_periods p
      WHERE p.participant_id = consents.participant_id AND p.is_current));

-- Who shared what of which period with which, when, and on which basis.
CREATE TABLE handovers (
    id              TEXT PRIMARY KEY,
    participant_id  TEXT NOT NULL REFERENCES participants (id),
    from_period_id  TEXT NOT NULL REFERENCES participation_periods (id),
    to_period_id    TEXT NOT NULL REFERENCES participation_periods (id),
    records         TEXT NOT NULL,
    legal_basis     TEXT NOT NULL,
    consent_id      TEXT REFERENCES consents (id),
    recorded_by     TEXT NOT NULL,
    recorded_role   TEXT NOT NULL,
    recorded_at     TIMESTAMP NOT NULL
);
CREATE INDEX handovers_participant_idx ON handovers (participant_id);
