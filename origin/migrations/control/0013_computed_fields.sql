-- How a computed field (formula, lookup, rollup) is computed; NULL for a stored field.
-- A computed field has no column in the data plane; its `type` is the type of its values.
ALTER TABLE fields ADD COLUMN computed jsonb;
