-- A field's validation rules, as the catalog's `FieldRules` JSON ({} when none).
ALTER TABLE fields ADD COLUMN rules jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(rules) = 'object');
