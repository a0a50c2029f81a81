-- Webhook subscriptions: push notifications of the events feed to a partner's URL.
-- cursor_position is the last event position turned into deliveries for the subscription.
CREATE TABLE webhook_subscriptions (
    id               TEXT PRIMARY KEY,
    owner_subject    TEXT NOT NULL,
    owner_role       TEXT NOT NULL,
    url              TEXT NOT NULL,
    -- The HMAC key: kept so deliveries can be signed, shown to the owner only at creation.
    secret           TEXT NOT NULL,
    -- Comma-separated event types to deliver; empty for every type.
    event_types      TEXT NOT NULL,
    cursor_position  BIGINT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    deleted_at       TIMESTAMP
);
CREATE INDEX webhook_subscriptions_owner_idx ON webhook_subscriptions (owner_subject, id);

-- One row per event and subscription: the delivery log. leased_until marks a delivery an API
-- node is sending now, so two nodes never send the same attempt.
CREATE TABLE webhook_deliveries (
    id                TEXT PRIMARY KEY,
    subscription_id   TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    event_id          TEXT NOT NULL,
    event_position    BIGINT NOT NULL,
    event_type        TEXT NOT NULL,
    status            TEXT NOT NULL,
    attempts          INTEGER NOT NULL,
    next_attempt_at   TIMESTAMP NOT NULL,
    leased_until      TIMESTAMP,
    last_attempt_at   TIMESTAMP,
    last_status_code  INTEGER,
    last_error        TEXT,
    delivered_at      TIMESTAMP,
    created_at        TIMESTAMP NOT NULL,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, id);
