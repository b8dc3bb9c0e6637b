-- When a soft-dropped table or field was purged: its storage is gone; the row stays for
-- the history and schema operations that name it, and no longer counts against limits.
ALTER TABLE tables ADD COLUMN purged_at timestamptz CHECK (purged_at IS NULL OR deleted_at IS NOT NULL);
ALTER TABLE fields ADD COLUMN purged_at timestamptz CHECK (purged_at IS NULL OR deleted_at IS NOT NULL);
