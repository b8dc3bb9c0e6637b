-- Whether a value's text converts into a type, as a guided type change asks of each
-- value: a cast attempted in its own subtransaction, so a value that does not convert is
-- an answer (false), not an error.
CREATE FUNCTION nc_converts(value text, target regtype) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    EXECUTE format('SELECT %L::%s', value, target);
    RETURN true;
EXCEPTION WHEN data_exception THEN
    RETURN false;
END $$;
GRANT EXECUTE ON FUNCTION nc_converts(text, regtype) TO PUBLIC;
