-- A base being restored from an archive (or cloned) exists, so that its job can be
-- followed, but takes no schema change and no export until the job has filled it.
ALTER TABLE bases ADD COLUMN restoring boolean NOT NULL DEFAULT false;
