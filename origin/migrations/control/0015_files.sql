-- Attachments: the `file` field type, and what a plan and a base allow to be stored.
ALTER TABLE fields DROP CONSTRAINT fields_type_check;
ALTER TABLE fields ADD CONSTRAINT fields_type_check CHECK (type IN (
    'text', 'long_text', 'number', 'boolean', 'date', 'datetime', 'email', 'url',
    'single_select', 'multi_select', 'json', 'uuid', 'link', 'file'
));

-- The largest upload, and the bytes a base may keep in the object store (NULL: no cap).
ALTER TABLE plans ADD COLUMN max_upload_bytes bigint NOT NULL DEFAULT 1073741824 CHECK (max_upload_bytes > 0);
ALTER TABLE plans ADD COLUMN max_stored_bytes bigint CHECK (max_stored_bytes >= 0);
UPDATE plans SET max_stored_bytes = 10737418240 WHERE name = 'standard';

-- A base's own upload settings, within its plan's: a smaller largest upload, and the
-- media types uploads may have (`image/*`; any when empty).
ALTER TABLE bases ADD COLUMN upload_max_bytes bigint CHECK (upload_max_bytes > 0);
ALTER TABLE bases ADD COLUMN upload_content_types text[] NOT NULL DEFAULT '{}';
