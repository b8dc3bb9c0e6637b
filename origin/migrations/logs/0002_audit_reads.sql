-- The audit log read and kept. The runtime role may read it (the audit query API) and add
-- to it, never change or delete a row; it keeps the log through functions that do only
-- that: make monthly partitions ahead of time, remove a tenant's events past its plan's
-- retention, and drop partitions no retention reaches. Each base's change log is copied
-- in (`action` record.*), each change once: `change_seq` is its sequence number.
GRANT SELECT ON audit_events TO logs_app_rw;

ALTER TABLE audit_events ADD COLUMN change_seq bigint;
CREATE INDEX audit_events_tenant ON audit_events (tenant_id, at DESC, id DESC);
CREATE INDEX audit_events_change ON audit_events (base_id, change_seq) WHERE change_seq IS NOT NULL;

-- The partitions of this month and the `months` next ones.
CREATE FUNCTION audit_partitions_ahead(months integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    FOR month IN 0..least(months, 24) LOOP
        PERFORM create_audit_partition((date_trunc('month', now()) + make_interval(months => month))::date);
    END LOOP;
END $$;

-- Removes a tenant's events older than `keep` (at least 7 days); the rows removed.
CREATE FUNCTION expire_audit_events(tenant uuid, keep interval) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    removed bigint;
BEGIN
    IF keep < interval '7 days' THEN
        RAISE EXCEPTION 'audit events are kept at least 7 days';
    END IF;
    DELETE FROM audit_events WHERE tenant_id = tenant AND at < now() - keep;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;

-- Drops the monthly partitions that end before `now() - keep` (at least 7 days): no
-- plan keeps events that old. The partitions dropped.
CREATE FUNCTION drop_audit_partitions(keep interval) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    partition record;
    dropped integer := 0;
BEGIN
    IF keep < interval '7 days' THEN
        RAISE EXCEPTION 'audit events are kept at least 7 days';
    END IF;
    FOR partition IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_events'::regclass AND c.relname ~ '^audit_events_[0-9]{4}_[0-9]{2}$'
          AND to_date(substring(c.relname from 14), 'YYYY_MM') + interval '1 month' < now() - keep
    LOOP
        EXECUTE format('DROP TABLE %I', partition.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;

REVOKE ALL ON FUNCTION audit_partitions_ahead(integer), expire_audit_events(uuid, interval),
    drop_audit_partitions(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_partitions_ahead(integer), expire_audit_events(uuid, interval),
    drop_audit_partitions(interval) TO logs_app_rw;
