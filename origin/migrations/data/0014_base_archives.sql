-- Base archives: exporting and restoring a whole base are jobs of no one table, whose
-- progress counts records against the snapshot's total.
ALTER TABLE nc.jobs ALTER COLUMN table_id DROP NOT NULL;
ALTER TABLE nc.jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE nc.jobs ADD CONSTRAINT jobs_kind_check
    CHECK (kind IN ('import_csv', 'export_csv', 'export_base', 'restore_base'));
ALTER TABLE nc.jobs ADD COLUMN rows_total bigint;

-- A file's id is its base's own, like a record's: a restored or cloned base keeps the
-- ids its file fields' values name, whichever cluster it lands on.
ALTER TABLE nc.files DROP CONSTRAINT files_pkey;
ALTER TABLE nc.files ADD PRIMARY KEY (base_id, id);
