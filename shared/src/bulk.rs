//! Bulk data: uploads announced to object storage, CSV imports and exports run as jobs.
//!
//! The edge checks what a request asks ([`compile_upload`], [`compile_import`]; an export
//! is a records list plan); the origin's job workers read the CSV and check each row
//! here ([`Columns`], [`Columns::row`]) with the same value and rule checks as the
//! records API, so a value an import accepts is one the API would have accepted.

use crate::catalog::{FieldType, Table};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BaseId, FieldId, RecordId, TableId};
use crate::plan::{Assignment, Item};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest CSV an import takes in its request body; larger files are uploaded first.
pub const MAX_INLINE_CSV: usize = 1024 * 1024;
/// The largest upload a base takes unless its plan says otherwise.
pub const DEFAULT_MAX_UPLOAD: u64 = 1024 * 1024 * 1024;
/// How long an upload form or a download address stays valid.
pub const URL_SECONDS: u32 = 15 * 60;
/// A CSV record (one row, all its fields) longer than this is rejected as a line error.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;
/// The `limit` of an export's list plan: every record the query selects.
pub const EXPORT_LIMIT: u32 = u32::MAX - 1;
/// Columns an import reads.
pub const MAX_COLUMNS: usize = 500;
/// The rejected rows an import keeps in its report; the count goes on.
pub const MAX_REPORTED_ERRORS: i64 = 100_000;

/// What the edge asks the origin for (`Op::Bulk`), checked as far as the edge can.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkRequest {
    SignUpload {
        upload: UploadRequest,
    },
    Import {
        import: ImportSpec,
    },
    /// A records list plan: the export writes every record it selects, in its order.
    Export {
        plan: crate::plan::Plan,
    },
    GetJob {
        job: uuid::Uuid,
    },
    CancelJob {
        job: uuid::Uuid,
    },
    /// A stream of the job's states: each one after revision `after` (all, from the
    /// current one, when `None`), for at most `seconds`.
    WatchJob {
        job: uuid::Uuid,
        after: Option<i64>,
        seconds: u32,
    },
    /// A base archive (a management command's job, never sent by an edge).
    ExportBase {
        include_files: bool,
    },
    /// Fills a new base from an archive or a live base (a management command's job).
    RestoreBase {
        source: crate::archive::RestoreSource,
    },
}

impl BulkRequest {
    pub fn operation(&self) -> crate::api::OperationId {
        use crate::api::OperationId as Id;
        match self {
            BulkRequest::SignUpload { .. } => Id::SignUpload,
            BulkRequest::Import { .. } => Id::ImportCsv,
            BulkRequest::Export { .. } => Id::ExportCsv,
            BulkRequest::GetJob { .. } => Id::GetJob,
            BulkRequest::CancelJob { .. } => Id::CancelJob,
            BulkRequest::WatchJob { .. } => Id::WatchJob,
            BulkRequest::ExportBase { .. } => Id::ExportBase,
            BulkRequest::RestoreBase { .. } => Id::RestoreBase,
        }
    }

    /// The scope the declaration asks of the caller.
    pub fn scope(&self) -> crate::token::Scope {
        match self.operation().operation().caller {
            crate::api::Caller::Token(scope) => scope,
            _ => crate::token::Scope::Write,
        }
    }
}

/// `POST /v1/files:signUpload`: announces a file.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// The file's name, as shown and as downloads suggest it (1–255 characters).
    pub name: String,
    /// Its media type, e.g. `text/csv`; the upload must send the same `Content-Type`.
    pub content_type: String,
    /// Its exact size in bytes; the store refuses an upload of another size.
    pub size: u64,
    /// Its SHA-256, 64 hex digits; checked when the file is first used.
    #[serde(default)]
    pub sha256: Option<String>,
}

/// A presigned form: `POST` `fields` and then the file, as the form's last field `file`,
/// to `url` (multipart/form-data).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct UploadForm {
    /// The file's id: what an import names as its `file`.
    pub file_id: uuid::Uuid,
    pub url: String,
    pub fields: BTreeMap<String, String>,
    /// The object's key in the store.
    pub key: String,
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: String,
}

/// `POST /v1/tables/{tableId}/import:csv`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// An uploaded file (`files:signUpload`) holding the CSV; or give `csv`.
    #[serde(default)]
    pub file: Option<uuid::Uuid>,
    /// The CSV itself, up to 1 MiB; or give `file`.
    #[serde(default)]
    pub csv: Option<String>,
    /// CSV header → field name. Without it, each column goes to the field its header
    /// names (a column `id` to the record's id); columns that name no writable field are
    /// ignored and listed in the result.
    #[serde(default)]
    pub mapping: Option<BTreeMap<String, String>>,
    /// Update the record whose value of this unique field matches a row's, insert the
    /// others. Without it, rows with an `id` column update that record, others insert.
    #[serde(default)]
    pub unique: Option<String>,
    /// Check every row and report, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// `utf-8` (the default; a byte-order mark is skipped), `utf-16` (by its byte-order
    /// mark), `windows-1252` or `iso-8859-1`.
    #[serde(default)]
    pub encoding: Option<String>,
    /// One ASCII character; `,` by default.
    #[serde(default)]
    pub delimiter: Option<String>,
}

/// What an import job does, as checked at the edge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportSpec {
    pub table: TableId,
    pub file: Option<uuid::Uuid>,
    pub csv: Option<String>,
    /// CSV header → field id; `None`: by header.
    pub mapping: Option<Vec<(String, Target)>>,
    pub key: Option<FieldId>,
    pub dry_run: bool,
    pub encoding: Encoding,
    pub delimiter: u8,
}

/// Where a CSV column goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Id,
    Field(FieldId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf16,
    Windows1252,
}

impl Encoding {
    fn parse(name: &str) -> Option<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "utf-16" | "utf16" => Some(Encoding::Utf16),
            // Browsers decode ISO-8859-1 as windows-1252, its superset.
            "windows-1252" | "cp1252" | "iso-8859-1" | "latin1" => Some(Encoding::Windows1252),
            _ => None,
        }
    }
}

/// A job as the API shows it.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct Job {
    pub id: uuid::Uuid,
    /// `import_csv`, `export_csv`, `export_base` or `restore_base`.
    pub kind: String,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub state: String,
    /// The table of a CSV import or export; none for a whole base's.
    pub table_id: Option<uuid::Uuid>,
    pub dry_run: bool,
    /// Who started it: `token:<id>` or `user:<id>`, as the change log names writers.
    pub created_by: String,
    pub progress: JobProgress,
    /// When it succeeded: what it made.
    pub result: Option<JobResult>,
    /// When it failed: why, in the API's error shape (`code`, `message`, `details`).
    pub error: Option<serde_json::Value>,
    /// An import's first rejected rows (the error report has them all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors_preview: Vec<RowError>,
    #[schemars(extend("format" = "date-time"))]
    pub created_at: String,
    #[schemars(extend("format" = "date-time"))]
    pub started_at: Option<String>,
    #[schemars(extend("format" = "date-time"))]
    pub finished_at: Option<String>,
}

/// A problem with one CSV row: the line it starts on, the field (empty for the whole row).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct RowError {
    pub line: i64,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Rejected rows a job's answer shows.
pub const ERRORS_PREVIEW: i64 = 20;

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
pub struct JobProgress {
    /// CSV rows read (import) or records written (export, base export).
    pub rows_read: i64,
    /// Records inserted or updated (import; a dry run counts the rows that would be), or
    /// loaded (base restore).
    pub rows_written: i64,
    /// A base export's or restore's records in all: `rows_read` (export) or
    /// `rows_written` (restore) over it is the fraction done.
    #[serde(default)]
    pub rows_total: Option<i64>,
    pub bytes_read: i64,
    /// The source's size, when known: `bytes_read / bytes_total` is the fraction done.
    pub bytes_total: Option<i64>,
    /// Rejected rows' problems (an import's error report lists them).
    pub errors: i64,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
pub struct JobResult {
    /// An export's CSV or archive, signed for a short while (ask the job again for a
    /// fresh address).
    pub download_url: Option<String>,
    /// An import's rejected rows as CSV: `line,field,code,message`.
    pub errors_url: Option<String>,
    #[schemars(extend("format" = "date-time"))]
    pub expires_at: Option<String>,
    /// Import: CSV columns that went to no field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_columns: Vec<String>,
    /// Restore and clone: what the new base holds, and what it left for an admin to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored: Option<crate::archive::Restored>,
}

fn invalid(message: impl Into<String>, field: &str) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message).with("field", field)
}

/// Where an upload of a base lives in the bucket.
pub fn upload_key(base: BaseId, file: uuid::Uuid) -> String {
    format!("b/{}/uploads/{}", base.0.simple(), file.simple())
}

/// An uploaded file held by a `file` field, as stored and read.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Attachment {
    /// The upload's `file_id` (`files:signUpload`).
    pub id: uuid::Uuid,
    /// Its name: the upload's, unless the write gave another.
    pub name: String,
    pub size: u64,
    pub content_type: String,
    /// Reads only: a signed download address, valid for 15 minutes (longer in a public
    /// view's answers, which edges may cache).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A base's own upload settings (`PUT /api/v1/bases/{baseId}/files/settings`), within
/// its plan's limits.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// The largest upload in bytes; `null` takes the plan's.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_upload_bytes: Option<u64>,
    /// The media types uploads may have (`image/png`, `image/*`); any when empty.
    #[serde(default)]
    pub content_types: Vec<String>,
}

/// Media types a base's or a field's list holds.
pub const MAX_MEDIA_TYPES: usize = 100;

/// Checks a base's upload settings; answers them with the media types in lowercase.
pub fn compile_file_settings(settings: &FileSettings) -> Result<FileSettings, ApiError> {
    if settings.max_upload_bytes == Some(0) {
        return Err(invalid("'max_upload_bytes' is at least 1, or null for the plan's limit.", "max_upload_bytes"));
    }
    if settings.content_types.len() > MAX_MEDIA_TYPES {
        return Err(invalid(format!("'content_types' lists at most {MAX_MEDIA_TYPES} media types."), "content_types"));
    }
    let mut content_types: Vec<String> = Vec::with_capacity(settings.content_types.len());
    for given in &settings.content_types {
        let media_type = given.trim().to_ascii_lowercase();
        if !is_media_type(&media_type, true) {
            return Err(invalid(
                format!("'{given}' is not a media type: give e.g. image/png, image/* or application/pdf."),
                "content_types",
            ));
        }
        if !content_types.contains(&media_type) {
            content_types.push(media_type);
        }
    }
    Ok(FileSettings { max_upload_bytes: settings.max_upload_bytes, content_types })
}

/// What a base stores and what it may take.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct StorageUsage {
    /// Bytes of the base's files in the store: uploads, attachments and jobs' files.
    pub stored_bytes: u64,
    pub files: u64,
    /// The plan's cap on stored bytes; null is unlimited.
    pub max_stored_bytes: Option<u64>,
    /// The largest upload the base takes now: its own limit within its plan's.
    pub max_upload_bytes: u64,
    /// The plan's largest upload.
    pub plan_max_upload_bytes: u64,
    /// The base's own limit (null: the plan's).
    pub base_max_upload_bytes: Option<u64>,
    /// The media types uploads may have; any when empty.
    pub content_types: Vec<String>,
}

/// What a base takes as uploads: its own limits within its plan's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UploadLimits {
    /// The largest file, in bytes.
    pub max_size: u64,
    /// The media types accepted (`type/subtype` or `type/*`); any when empty.
    pub content_types: Vec<String>,
}

/// Whether `text` is a media type `type/subtype` in lowercase (with `wildcard`, also
/// `type/*`).
pub fn is_media_type(text: &str, wildcard: bool) -> bool {
    let token = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$&^_.+-".contains(&b))
    };
    text.len() <= 127
        && text.split_once('/').is_some_and(|(kind, sub)| token(kind) && (token(sub) || wildcard && sub == "*"))
}

/// Whether `content_type` is one of `accepted` (`type/*` takes every subtype); an empty
/// list accepts everything.
pub fn accepts(accepted: &[String], content_type: &str) -> bool {
    accepted.is_empty()
        || accepted.iter().any(|pattern| match pattern.strip_suffix("/*") {
            Some(kind) => content_type.split_once('/').is_some_and(|(other, _)| other == kind),
            None => pattern == content_type,
        })
}

/// Checks an announced upload against the base's limits; answers the media type in its
/// canonical (lowercase) form.
pub fn compile_upload(request: &UploadRequest, limits: &UploadLimits) -> Result<UploadRequest, ApiError> {
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 255 || name.chars().any(char::is_control) {
        return Err(invalid("'name' must be 1 to 255 characters without control characters.", "name"));
    }
    let content_type = request.content_type.trim().to_ascii_lowercase();
    if !is_media_type(&content_type, false) {
        return Err(invalid("'content_type' must be a media type such as text/csv.", "content_type"));
    }
    if !accepts(&limits.content_types, &content_type) {
        return Err(invalid(
            format!(
                "This base accepts uploads of {} only; an admin can change that in the base's file settings.",
                limits.content_types.join(", ")
            ),
            "content_type",
        )
        .with("accepted", limits.content_types.clone()));
    }
    let max_size = limits.max_size;
    if request.size == 0 || request.size > max_size {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("'size' must be between 1 and {max_size} bytes for this base."),
        )
        .with("field", "size")
        .with("max", max_size));
    }
    let sha256 = request.sha256.as_deref().map(str::to_ascii_lowercase);
    if sha256.as_ref().is_some_and(|hash| hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(invalid("'sha256' must be 64 hex digits.", "sha256"));
    }
    Ok(UploadRequest { name: name.to_owned(), content_type, size: request.size, sha256 })
}

/// Checks an import request against the table; the CSV itself is read by the job.
pub fn compile_import(table: &Table, body: &[u8]) -> Result<ImportSpec, ApiError> {
    let request: ImportRequest = serde_json::from_slice(body).map_err(|error| {
        ApiError::new(ErrorCode::InvalidRequest, format!("The body must be an import request: {error}."))
    })?;
    match (&request.file, &request.csv) {
        (Some(_), None) | (None, Some(_)) => {}
        _ => {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "Give either 'file' (an uploaded file's id) or 'csv' (the CSV itself), not both.",
            ));
        }
    }
    if request.csv.as_ref().is_some_and(|csv| csv.len() > MAX_INLINE_CSV) {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            "'csv' holds more than 1 MiB; upload the file with files:signUpload and give its id as 'file'.",
        )
        .with("max", MAX_INLINE_CSV));
    }
    let key = match &request.unique {
        None => None,
        Some(name) => {
            let field = table.field(name).ok_or_else(|| invalid(format!("Unknown field '{name}'."), "unique"))?;
            if !field.unique {
                return Err(invalid(
                    format!("Field '{name}' is not unique, so it cannot match rows to records."),
                    "unique",
                ));
            }
            Some(field.id)
        }
    };
    let mapping = match &request.mapping {
        None => None,
        Some(mapping) => {
            if mapping.is_empty() || mapping.len() > MAX_COLUMNS {
                return Err(invalid(format!("'mapping' must name 1 to {MAX_COLUMNS} columns."), "mapping"));
            }
            let mut targets = Vec::with_capacity(mapping.len());
            for (column, name) in mapping {
                let target = target(table, name).map_err(|reason| {
                    invalid(format!("Column '{column}' maps to '{name}', which {reason}."), "mapping")
                        .with("column", column.as_str())
                })?;
                if targets.iter().any(|(_, other)| *other == target) {
                    return Err(invalid(format!("Two columns map to '{name}'."), "mapping"));
                }
                targets.push((column.clone(), target));
            }
            if let Some(key) = key
                && !targets.iter().any(|(_, target)| *target == Target::Field(key))
            {
                return Err(invalid("No column maps to the 'unique' field.", "unique"));
            }
            Some(targets)
        }
    };
    let encoding = match &request.encoding {
        None => Encoding::Utf8,
        Some(name) => Encoding::parse(name)
            .ok_or_else(|| invalid("'encoding' must be utf-8, utf-16, windows-1252 or iso-8859-1.", "encoding"))?,
    };
    let delimiter = match request.delimiter.as_deref() {
        None => b',',
        Some(text) if text.len() == 1 && text.as_bytes()[0].is_ascii() && !matches!(text, "\"" | "\r" | "\n") => {
            text.as_bytes()[0]
        }
        Some(_) => return Err(invalid("'delimiter' must be one ASCII character other than a quote.", "delimiter")),
    };
    Ok(ImportSpec {
        table: table.id,
        file: request.file,
        csv: request.csv,
        mapping,
        key,
        dry_run: request.dry_run,
        encoding,
        delimiter,
    })
}

/// Where a name sends a column, or why it cannot.
fn target(table: &Table, name: &str) -> Result<Target, &'static str> {
    if name == "id" {
        return Ok(Target::Id);
    }
    match table.field(name) {
        None => Err("is not a field of the table"),
        Some(field) if !field.is_stored() => Err("is computed and cannot be written"),
        Some(field) if field.field_type == FieldType::File => {
            Err("holds files, which are attached through the records API, not imported")
        }
        Some(field) => Ok(Target::Field(field.id)),
    }
}

/// The columns of a CSV, resolved against the table from its header row.
#[derive(Debug)]
pub struct Columns {
    /// Per CSV column, where its values go.
    targets: Vec<Option<Target>>,
    /// The fields given, in the table's order, with their column (the shape of every item).
    fields: Vec<(FieldId, usize)>,
    id_column: Option<usize>,
    pub ignored: Vec<String>,
}

impl Columns {
    /// Resolves a header row (without a byte-order mark); an error names what to fix.
    pub fn resolve(table: &Table, spec: &ImportSpec, header: &[&str]) -> Result<Columns, ApiError> {
        if header.len() > MAX_COLUMNS {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("The CSV has {} columns; at most {MAX_COLUMNS} are read.", header.len()),
            ));
        }
        let mut targets = Vec::with_capacity(header.len());
        let mut ignored = Vec::new();
        for name in header {
            let name = name.trim();
            let target = match &spec.mapping {
                Some(mapping) => mapping.iter().find(|(column, _)| column == name).map(|(_, target)| *target),
                None => target(table, name).ok(),
            };
            if target.is_some() && targets.contains(&target) {
                return Err(ApiError::new(
                    ErrorCode::ValidationError,
                    format!("Two CSV columns go to '{name}'; rename or map one of them."),
                )
                .with("column", name));
            }
            if target.is_none() {
                ignored.push(name.to_owned());
            }
            targets.push(target);
        }
        if let Some(mapping) = &spec.mapping
            && let Some((missing, _)) =
                mapping.iter().find(|(column, _)| !header.iter().any(|name| name.trim() == column))
        {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                format!("The mapping names column '{missing}', which the CSV header does not have."),
            )
            .with("column", missing.as_str()));
        }
        let mut fields: Vec<(FieldId, usize)> = Vec::new();
        for field in &table.fields {
            if let Some(column) = targets.iter().position(|target| *target == Some(Target::Field(field.id))) {
                fields.push((field.id, column));
            }
        }
        if fields.is_empty() {
            return Err(ApiError::new(
                ErrorCode::ValidationError,
                "No CSV column names a field of the table; check the header row or give a 'mapping'.",
            )
            .with("header", header.iter().map(|name| name.to_string()).collect::<Vec<_>>()));
        }
        if let Some(key) = spec.key
            && !fields.iter().any(|(id, _)| *id == key)
        {
            return Err(ApiError::new(ErrorCode::ValidationError, "No CSV column holds the 'unique' field."));
        }
        let id_column = targets.iter().position(|target| *target == Some(Target::Id));
        Ok(Columns { targets, fields, id_column, ignored })
    }

    /// The fields every item of this import gives, in order.
    pub fn fields(&self) -> Vec<FieldId> {
        self.fields.iter().map(|(id, _)| *id).collect()
    }

    /// Checks one CSV row (its cells) as the API checks a created record: each value
    /// against its field's type and rules, required fields, record rules. An empty cell
    /// is no value.
    pub fn row(&self, table: &Table, cells: &[&str]) -> Result<Item, Vec<ApiError>> {
        if cells.len() != self.targets.len() {
            return Err(vec![
                ApiError::new(
                    ErrorCode::ValidationError,
                    format!("The row has {} cells; the header has {}.", cells.len(), self.targets.len()),
                )
                .with("field", "")
                .with("reason", "column_count"),
            ]);
        }
        let mut errors = Vec::new();
        let id = match self.id_column.map(|column| cells[column].trim()).filter(|text| !text.is_empty()) {
            None => None,
            Some(text) => match RecordId::parse(text) {
                Some(id) => Some(id),
                None => {
                    errors.push(
                        ApiError::new(ErrorCode::ValidationError, "'id' must be a UUID.")
                            .with("field", "id")
                            .with("reason", "invalid_type"),
                    );
                    None
                }
            },
        };
        let mut values = Vec::with_capacity(self.fields.len());
        for (id, column) in &self.fields {
            let Some(field) = table.field_by_id(*id) else { continue };
            match cell_value(field, cells[*column]) {
                Ok(value) => values.push(Assignment { field: field.id, value }),
                Err(error) => errors.push(error),
            }
        }
        for field in table.fields.iter().filter(|field| field.required && field.default.is_none()) {
            if !self.fields.iter().any(|(id, _)| *id == field.id) {
                errors.push(crate::value::invalid(field, "required", format!("Field '{}' is required.", field.name)));
            }
        }
        if errors.is_empty() {
            errors = crate::plan::record_rule_errors(table, &values, true);
        }
        if errors.is_empty() { Ok(Item { id, values }) } else { Err(errors) }
    }
}

/// A CSV cell as the value of `field`, checked as the API checks a JSON value.
fn cell_value(field: &crate::catalog::Field, cell: &str) -> Result<Option<String>, ApiError> {
    let trimmed = cell.trim();
    let text = match field.field_type {
        FieldType::Text | FieldType::LongText | FieldType::Json => cell,
        _ => trimmed,
    };
    if text.is_empty() {
        return match field.required {
            true => Err(crate::value::invalid(
                field,
                "required",
                format!("Field '{}' is required and cannot be empty.", field.name),
            )),
            false => Ok(None),
        };
    }
    let value = match field.field_type {
        // Spreadsheets write booleans in several ways.
        FieldType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "y" => "true".to_owned(),
            "false" | "no" | "0" | "n" => "false".to_owned(),
            _ => crate::value::from_text(field, text)?,
        },
        // A JSON array, or options separated by commas.
        FieldType::MultiSelect => {
            let json = if text.starts_with('[') {
                text.to_owned()
            } else {
                let options: Vec<&str> = text.split(',').map(str::trim).filter(|option| !option.is_empty()).collect();
                serde_json::to_string(&options).expect("strings always serialize")
            };
            let raw = serde_json::value::RawValue::from_string(json).map_err(|_| {
                crate::value::invalid(field, "invalid_type", format!("Field '{}' must list its options.", field.name))
            })?;
            crate::value::from_json(field, &raw)?.unwrap_or_default()
        }
        FieldType::Json => {
            let raw = serde_json::from_str::<&serde_json::value::RawValue>(text).map_err(|_| {
                crate::value::invalid(field, "invalid_type", format!("Field '{}' must be a JSON value.", field.name))
            })?;
            raw.get().to_owned()
        }
        _ => crate::value::from_text(field, text)?,
    };
    crate::rules::check_value(field, &value)?;
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        use crate::catalog::Field;
        use uuid::Uuid;
        let field = |id, name: &str, field_type| Field::new(FieldId(Uuid::from_u128(id)), name, field_type);
        Table {
            id: TableId(Uuid::from_u128(7)),
            name: "people".into(),
            fields: vec![
                Field { required: true, unique: true, ..field(0xa, "email", FieldType::Email) },
                field(0xc, "age", FieldType::Number),
                field(0xd, "active", FieldType::Boolean),
                Field { options: vec!["a".into(), "b".into()], ..field(0xe, "tags", FieldType::MultiSelect) },
            ],
            aliases: Vec::new(),
            rules: Vec::new(),
            unique: Vec::new(),
            policies: Vec::new(),
            indexes: Vec::new(),
        }
    }

    fn spec(table: &Table, body: serde_json::Value) -> Result<ImportSpec, ApiError> {
        compile_import(table, body.to_string().as_bytes())
    }

    #[test]
    fn rows_are_checked_like_records() {
        let table = table();
        let spec = spec(&table, serde_json::json!({"csv": "x"})).unwrap();
        let columns = Columns::resolve(&table, &spec, &["email", "age", "active", "tags", "notes"]).unwrap();
        assert_eq!(columns.ignored, ["notes"]);
        let item = columns.row(&table, &["a@example.com", " 42 ", "Yes", "a, b", "x"]).unwrap();
        let values: Vec<_> = item.values.iter().map(|a| a.value.clone()).collect();
        assert_eq!(
            values,
            [Some("a@example.com".into()), Some("42".into()), Some("true".into()), Some("[\"a\",\"b\"]".into())]
        );
        let errors = columns.row(&table, &["", "ten", "maybe", "c", ""]).unwrap_err();
        let reasons: Vec<_> =
            errors.iter().map(|error| (error.details["field"].clone(), error.details["reason"].clone())).collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert_eq!(columns.row(&table, &["a@example.com"]).unwrap_err()[0].details["reason"], "column_count");
    }

    #[test]
    fn requests_name_what_to_fix() {
        let table = table();
        assert_eq!(spec(&table, serde_json::json!({})).unwrap_err().code, ErrorCode::InvalidRequest);
        assert_eq!(
            spec(&table, serde_json::json!({"csv": "a", "unique": "age"})).unwrap_err().details["field"],
            "unique"
        );
        let error = spec(&table, serde_json::json!({"csv": "a", "mapping": {"Mail": "nope"}})).unwrap_err();
        assert_eq!(error.details["column"], "Mail");
        let spec =
            spec(&table, serde_json::json!({"csv": "a", "mapping": {"Mail": "email"}, "unique": "email"})).unwrap();
        assert!(Columns::resolve(&table, &spec, &["email"]).is_err(), "the mapped column is missing");
        let columns = Columns::resolve(&table, &spec, &["Mail", "age"]).unwrap();
        assert_eq!(columns.ignored, ["age"]);
        let upload = UploadRequest { name: "a.csv".into(), content_type: "Text/CSV".into(), size: 10, sha256: None };
        let limits = UploadLimits { max_size: 100, content_types: Vec::new() };
        assert_eq!(compile_upload(&upload, &limits).unwrap().content_type, "text/csv");
        let images = UploadLimits { max_size: 100, content_types: vec!["image/*".into(), "text/plain".into()] };
        assert_eq!(compile_upload(&upload, &images).unwrap_err().details["field"], "content_type");
        let png = UploadRequest { content_type: "image/png".into(), ..upload.clone() };
        assert!(compile_upload(&png, &images).is_ok());
        assert!(!accepts(&images.content_types, "imagex/png"));
        assert!(
            !is_media_type("image/*", false) && is_media_type("image/*", true) && !is_media_type("Image/png", true)
        );
        assert_eq!(
            compile_upload(&UploadRequest { size: 101, ..upload.clone() }, &limits).unwrap_err().code,
            ErrorCode::PayloadTooLarge
        );
        assert!(compile_upload(&UploadRequest { content_type: "csv".into(), ..upload }, &limits).is_err());
    }
}
