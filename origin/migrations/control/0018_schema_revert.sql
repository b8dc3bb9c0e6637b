-- A revert names the schema operation it undoes: whether an operation can still be
-- reverted depends on the later ones, minus those a revert cancelled.
ALTER TABLE schema_ops ADD COLUMN reverts uuid REFERENCES schema_ops (id);
CREATE INDEX schema_ops_reverts ON schema_ops (reverts) WHERE reverts IS NOT NULL;
