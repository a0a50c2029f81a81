-- Cross-cutting tables: the access log (audit), the outbox of events (the change feed) and
-- idempotency keys. Districts become editable by an admin, so they carry a version.
ALTER TABLE districts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE access_log (
    id              TEXT PRIMARY KEY,
    occurred_at     TIMESTAMP NOT NULL,
    actor_subject   TEXT NOT NULL,
    actor_role      TEXT NOT NULL,
    action          TEXT NOT NULL,
    resource_type   TEXT NOT NULL,
    resource_id     TEXT NOT NULL,
    participant_id  TEXT,
    request_id      TEXT NOT NULL
);
CREATE INDEX access_log_participant_idx ON access_log (participant_id, occurred_at);
CREATE INDEX access_log_resource_idx ON access_log (resource_type, resource_id);

-- position orders the feed; SQLite serialises writers (BEGIN IMMEDIATE), so commit order and
-- position order agree (see persistence/src/events.rs).
CREATE TABLE events (
    position          INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT NOT NULL UNIQUE,
    event_type        TEXT NOT NULL,
    resource_type     TEXT NOT NULL,
    resource_id       TEXT NOT NULL,
    resource_version  INTEGER NOT NULL,
    occurred_at       TIMESTAMP NOT NULL,
    jobbtorg_code     TEXT,
    district_code     TEXT,
    provider_id       TEXT,
    participant_id    TEXT
);
CREATE INDEX events_jobbtorg_idx ON events (jobbtorg_code, position);
CREATE INDEX events_district_idx ON events (district_code, position);
CREATE INDEX events_provider_idx ON events (provider_id, position);

CREATE TABLE idempotency_keys (
    actor_subject      TEXT NOT NULL,
    idempotency_key    TEXT NOT NULL,
    request_hash       TEXT NOT NULL,
    status_code        INTEGER,
    response_body      TEXT,
    response_etag      TEXT,
    response_location  TEXT,
    created_at         TIMESTAMP NOT NULL,
    completed_at       TIMESTAMP,
    PRIMARY KEY (actor_subject, idempotency_key)
);
