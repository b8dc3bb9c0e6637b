-- Field rules as a CHECK constraint, replaced whole: lengths, bounds and allowed values.
-- The bounds arrive as parameters and are quoted here with format('%L'), like defaults;
-- the column type is one of the three rules apply to.
CREATE FUNCTION nc_set_field_check(
    target regclass, constraint_name text, col text, col_type text,
    min_length int, max_length int, min_value text, max_value text, allowed jsonb, validate boolean
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    parts text[] := '{}';
    c text := quote_ident(col);
BEGIN
    IF col_type NOT IN ('text', 'numeric', 'date') THEN
        RAISE EXCEPTION 'field rules do not apply to columns of type %', col_type;
    END IF;
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', target, constraint_name);
    IF min_length IS NOT NULL THEN
        parts := parts || format('char_length(%s) >= %s', c, min_length);
    END IF;
    IF max_length IS NOT NULL THEN
        parts := parts || format('char_length(%s) <= %s', c, max_length);
    END IF;
    IF min_value IS NOT NULL THEN
        parts := parts || format('%s >= %L::%s', c, min_value, col_type);
    END IF;
    IF max_value IS NOT NULL THEN
        parts := parts || format('%s <= %L::%s', c, max_value, col_type);
    END IF;
    IF allowed IS NOT NULL AND jsonb_array_length(allowed) > 0 THEN
        parts := parts || format('%s = ANY (%L::text[])', c, ARRAY(SELECT jsonb_array_elements_text(allowed)));
    END IF;
    IF cardinality(parts) > 0 THEN
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s)%s', target, constraint_name,
            array_to_string(parts, ' AND '), CASE WHEN validate THEN '' ELSE ' NOT VALID' END);
    END IF;
END $$;
REVOKE ALL ON FUNCTION nc_set_field_check(regclass, text, text, text, int, int, text, text, jsonb, boolean) FROM PUBLIC;
