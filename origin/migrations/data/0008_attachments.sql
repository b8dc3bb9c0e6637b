-- Uploads become attachments: a `file` field's write commits the upload to that field.
-- An attached file stays while a record of its field holds it; the sweeper marks it
-- detached when none does (`detached_at`) and deletes it a retention period later.
ALTER TABLE nc.files DROP CONSTRAINT files_purpose_check;
UPDATE nc.files SET purpose = 'upload' WHERE purpose = 'import';
ALTER TABLE nc.files ADD CONSTRAINT files_purpose_check CHECK (purpose IN ('upload', 'export', 'error_report'));
ALTER TABLE nc.files ADD COLUMN table_id uuid;
ALTER TABLE nc.files ADD COLUMN field_id uuid;
ALTER TABLE nc.files ADD COLUMN detached_at timestamptz;
ALTER TABLE nc.files ADD CONSTRAINT files_attached_check CHECK ((table_id IS NULL) = (field_id IS NULL));
CREATE INDEX files_field ON nc.files (base_id, table_id, field_id) WHERE field_id IS NOT NULL;
-- The sweeper marks what it deletes first (`deleting`), so that no write attaches a
-- file whose object is going, and a sweep that failed halfway is finished by the next.
ALTER TABLE nc.files DROP CONSTRAINT files_state_check;
ALTER TABLE nc.files ADD CONSTRAINT files_state_check CHECK (state IN ('pending', 'committed', 'deleting'));
