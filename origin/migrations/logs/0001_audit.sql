-- The logs plane: append-only audit events, partitioned by month.
-- The runtime role logs_app_rw may only INSERT.

CREATE TABLE audit_events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    tenant_id uuid,
    base_id uuid,
    actor text NOT NULL,
    action text NOT NULL,
    resource_id text,
    before jsonb,
    after jsonb,
    request_id text,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);

-- Rows outside every monthly partition land here; create_audit_partition() adds months ahead.
CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;

CREATE FUNCTION create_audit_partition(month date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    first date := date_trunc('month', month);
    name text := format('audit_events_%s', to_char(first, 'YYYY_MM'));
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
                   name, first, first + interval '1 month');
END $$;

SELECT create_audit_partition(now()::date);
SELECT create_audit_partition((now() + interval '1 month')::date);

REVOKE ALL ON audit_events FROM PUBLIC;
GRANT INSERT ON audit_events TO logs_app_rw;
