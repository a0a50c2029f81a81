ALTER TABLE participants DROP COLUMN anonymised_at;
DROP TABLE transfers;
DROP TABLE absences;
DROP TABLE journal_entries;
