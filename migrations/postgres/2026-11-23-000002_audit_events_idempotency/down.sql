DROP TABLE idempotency_keys;
DROP TABLE events;
DROP TABLE access_log;
ALTER TABLE districts DROP COLUMN version;
