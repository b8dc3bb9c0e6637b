-- A table's record rules, compound unique constraints and policies, as the catalog's
-- `RecordRule`, `UniqueSet` and `Policy` JSON arrays ([] when none).
ALTER TABLE tables
    ADD COLUMN rules jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rules) = 'array'),
    ADD COLUMN uniques jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(uniques) = 'array'),
    ADD COLUMN policies jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(policies) = 'array');
