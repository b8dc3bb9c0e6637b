-- A record rule as a CHECK constraint. `template` is the condition as the records
-- compiler lowers it, with a `%n$L` slot for each value: format() quotes each value
-- into its slot as a literal, in one pass, so no value is ever read as SQL.
CREATE FUNCTION nc_add_rule_check(
    target regclass, constraint_name text, template text, params text[], validate boolean
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s)%s', target, constraint_name,
        format(template, VARIADIC params), CASE WHEN validate THEN '' ELSE ' NOT VALID' END);
END $$;
REVOKE ALL ON FUNCTION nc_add_rule_check(regclass, text, text, text[], boolean) FROM PUBLIC;
