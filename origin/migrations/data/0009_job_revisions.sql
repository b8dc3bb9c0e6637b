-- A job's revision counts the changes a client can see (state, progress, result, error,
-- times), so an event stream of its progress names each state by it (`id:`) and a client
-- resumes after the last one it read. A lease renewal alone is not a change.
ALTER TABLE nc.jobs ADD COLUMN revision bigint NOT NULL DEFAULT 1;

CREATE FUNCTION nc.job_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.state, NEW.rows_read, NEW.rows_written, NEW.bytes_read, NEW.bytes_total, NEW.error_count,
        NEW.result, NEW.error, NEW.started_at, NEW.finished_at)
       IS DISTINCT FROM
       (OLD.state, OLD.rows_read, OLD.rows_written, OLD.bytes_read, OLD.bytes_total, OLD.error_count,
        OLD.result, OLD.error, OLD.started_at, OLD.finished_at) THEN
        NEW.revision := OLD.revision + 1;
    ELSE
        NEW.revision := OLD.revision;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER job_revision BEFORE UPDATE ON nc.jobs FOR EACH ROW EXECUTE FUNCTION nc.job_revision();
