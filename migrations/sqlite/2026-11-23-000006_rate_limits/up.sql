-- Write requests per token subject and minute, shared by every API node (rate limiting).
CREATE TABLE rate_limit_windows (
    actor_subject  TEXT NOT NULL,
    window_start   TIMESTAMP NOT NULL,
    requests       INTEGER NOT NULL,
    PRIMARY KEY (actor_subject, window_start)
);
