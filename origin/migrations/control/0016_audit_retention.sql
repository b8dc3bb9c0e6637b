-- How long a plan keeps its tenants' audit events (the logs plane), in days.
ALTER TABLE plans ADD COLUMN audit_retention_days integer NOT NULL DEFAULT 365
    CHECK (audit_retention_days BETWEEN 7 AND 3650);
