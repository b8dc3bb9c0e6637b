-- How long a plan keeps its bases' change logs (for history, streams and revert) before
-- pruning what the audit log and the webhooks have read; the audit log keeps it longer.
ALTER TABLE plans ADD COLUMN change_log_retention_days integer NOT NULL DEFAULT 30
    CHECK (change_log_retention_days BETWEEN 1 AND 3650);
