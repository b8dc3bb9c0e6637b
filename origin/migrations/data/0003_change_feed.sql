-- The change log as a feed: each row records the transaction that wrote it, so that a
-- reader can resume from a snapshot and never skip a change that committed after a later
-- one (see origin::changes), and each insert notifies `nc_changes` at commit, which the
-- origin turns into cache invalidations for the edges.

CREATE FUNCTION nc_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nc_changes', TG_TABLE_SCHEMA || ':' ||
        (SELECT string_agg(DISTINCT table_id::text, ',') FROM added));
    RETURN NULL;
END $$;
GRANT EXECUTE ON FUNCTION nc_notify_changes() TO data_app_rw;

-- Bases created before this migration get the column, its index and the trigger too.
DO $$
DECLARE
    base record;
BEGIN
    FOR base IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'b\_%' LOOP
        EXECUTE format('ALTER TABLE %I."_changes" ADD COLUMN IF NOT EXISTS txid xid8 NOT NULL DEFAULT pg_current_xact_id()', base.nspname);
        EXECUTE format('CREATE INDEX IF NOT EXISTS "_changes_txid" ON %I."_changes" (txid)', base.nspname);
        EXECUTE format('CREATE OR REPLACE TRIGGER changes_notify AFTER INSERT ON %I."_changes" '
                       'REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION nc_notify_changes()', base.nspname);
    END LOOP;
END $$;
