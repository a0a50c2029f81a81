-- Nothing changes on SQLite: writers are serialised, so an event's position is given at its
-- insert and is already in commit order (see the PostgreSQL migration of the same name).
SELECT 1;
