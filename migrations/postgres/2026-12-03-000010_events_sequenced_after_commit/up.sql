-- Events get their feed position after they commit, from one sequencer at a time
-- (persistence/src/events.rs), instead of under a lock every write held to its commit: writes
-- no longer queue behind each other's commits. An event is in the feed once it has a position.
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE events DROP CONSTRAINT events_id_key;
ALTER TABLE events ALTER COLUMN position DROP NOT NULL;
ALTER TABLE events ALTER COLUMN position DROP DEFAULT;
CREATE UNIQUE INDEX events_position_idx ON events (position);
-- The sequencer's work list: small, since it is emptied at every feed read.
CREATE INDEX events_unsequenced_idx ON events (id) WHERE position IS NULL;
