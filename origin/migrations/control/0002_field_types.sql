-- The full set of record field types, unique fields and select options.

ALTER TABLE fields DROP CONSTRAINT fields_type_check;
ALTER TABLE fields ADD CONSTRAINT fields_type_check CHECK (type IN (
    'text', 'long_text', 'number', 'boolean', 'date', 'datetime', 'email', 'url',
    'single_select', 'multi_select', 'json', 'uuid'
));
-- Backed by a unique index in the data plane (named u_<field id>).
ALTER TABLE fields ADD COLUMN is_unique boolean NOT NULL DEFAULT false;
-- The choices of a single or multi select, in display order: a JSON array of strings.
ALTER TABLE fields ADD COLUMN options jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array');
