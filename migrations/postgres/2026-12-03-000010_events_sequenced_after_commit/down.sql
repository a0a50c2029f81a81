DROP INDEX events_unsequenced_idx;
DROP INDEX events_position_idx;
UPDATE events SET position = nextval('events_position_seq') WHERE position IS NULL;
ALTER TABLE events ALTER COLUMN position SET DEFAULT nextval('events_position_seq');
ALTER TABLE events ALTER COLUMN position SET NOT NULL;
ALTER TABLE events ADD CONSTRAINT events_id_key UNIQUE (id);
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (position);
