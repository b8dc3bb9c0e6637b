-- How far each base's change log has been copied into the audit log (the logs plane): a
-- change-log position, locked by the origin that copies the next batch.
CREATE TABLE nc.audit_positions (
    base_id uuid PRIMARY KEY,
    position text NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON nc.audit_positions TO data_app_rw;
