-- Schema operations: the marker that a DDL transaction committed, and the one helper
-- that sets a column default from a bound value.

-- Written in the same transaction as an operation's DDL: present exactly when the DDL
-- committed. Recovery reads it to finish (or fail) operations interrupted by a crash.
CREATE TABLE nc_schema_applied (
    op_id uuid PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- DDL cannot bind parameters, so a client's default value would otherwise have to be
-- spliced into SQL text. Here it arrives as a parameter and Postgres quotes it (%L).
-- `target` and `col` come from catalog ids (`b_<id>.t_<id>`, `f_<id>`).
CREATE FUNCTION nc_set_column_default(target regclass, col text, value text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF value IS NULL THEN
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', target, col);
    ELSE
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %L', target, col, value);
    END IF;
END $$;
REVOKE ALL ON FUNCTION nc_set_column_default(regclass, text, text) FROM PUBLIC;
