-- Link fields (many-to-one relations): the target table, referential action and display
-- field, as the catalog's `Link` JSON; present exactly on fields of type link.

ALTER TABLE fields DROP CONSTRAINT fields_type_check;
ALTER TABLE fields ADD CONSTRAINT fields_type_check CHECK (type IN (
    'text', 'long_text', 'number', 'boolean', 'date', 'datetime', 'email', 'url',
    'single_select', 'multi_select', 'json', 'uuid', 'link'
));
ALTER TABLE fields ADD COLUMN link jsonb;
ALTER TABLE fields ADD CONSTRAINT fields_link_check CHECK ((type = 'link') = (link IS NOT NULL));
