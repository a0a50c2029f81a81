DROP TABLE handovers;
ALTER TABLE consents DROP COLUMN period_id;
CREATE TABLE participant_assessments (
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
-- One mapping per person: the latest.
INSERT INTO participant_assessments
SELECT a.participant_id, a.work_history, a.education, a.languages, a.sfi_test_result,
       a.guidance_notes, a.parties_involved, a.version, a.updated_at, a.updated_by
  FROM assessments a
 WHERE a.updated_at = (SELECT MAX(b.updated_at) FROM assessments b WHERE b.participant_id = a.participant_id);
DROP TABLE assessments;
ALTER TABLE participant_assessments RENAME TO assessments;
