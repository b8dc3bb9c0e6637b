-- The indexes an admin added to a table (catalog ids and directions); the data plane
-- holds them as `ix_<id>` in the base's schema.
ALTER TABLE tables ADD COLUMN indexes jsonb NOT NULL DEFAULT '[]';
