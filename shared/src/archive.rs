//! Base archives: a whole base in one file, which a restore turns into a new base.
//!
//! An archive is a gzip stream of lines (documented in ARCHITECTURE.md, "Base archives"):
//!
//! 1. a [`Header`] (JSON): the format's name and version, when and from which base;
//! 2. the [`Contents`] (JSON): the catalog, the control-plane rows of the base's
//!    tables, fields, former names and views, the base's settings, and the metadata of
//!    its tokens, view keys, webhooks and attached files (never a secret);
//! 3. for each table a [`Section::Records`] line, then its records as Postgres `COPY`
//!    text rows (one line each), then [`END_OF_DATA`];
//! 4. when the export includes files, for each object a [`Section::Object`] line, then
//!    its bytes as base64 lines of [`OBJECT_CHUNK`] bytes each, then [`END_OF_DATA`];
//! 5. a [`Section::End`] line with the counts, without which an archive is truncated.
//!
//! A restore gives every id of the catalog a new one ([`IdMap`]) and keeps record ids,
//! versions (ETags) and timestamps, so the same requests get the same answers.

use crate::catalog::Catalog;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BaseId, TableId, WorkspaceId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What the header's `format` says.
pub const FORMAT: &str = "nclcdbaas.base-archive";
/// The newest version this code writes and reads.
pub const VERSION: u32 = 1;
/// The line that ends a table's records or an object's bytes.
pub const END_OF_DATA: &str = "\\.";
/// Bytes of an object per base64 line.
pub const OBJECT_CHUNK: usize = 768 * 1024;
/// The longest line a restore reads: the contents line holds the whole catalog.
pub const MAX_LINE: usize = 64 * 1024 * 1024;
/// The archive's media type and file name suffix.
pub const CONTENT_TYPE: &str = "application/gzip";
pub const SUFFIX: &str = ".ncbase.gz";

/// The first line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// RFC 3339.
    pub exported_at: String,
    pub base: BaseId,
    pub name: String,
    /// Records in the snapshot, for a restore's progress.
    pub records: i64,
    pub files_included: bool,
}

impl Header {
    pub fn new(base: BaseId, name: &str, exported_at: String, records: i64, files_included: bool) -> Header {
        Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at,
            base,
            name: name.to_owned(),
            records,
            files_included,
        }
    }
}

/// The header of an archive, or why it cannot be restored here: not an archive, or
/// written by a newer version of the service.
pub fn read_header(line: &[u8]) -> Result<Header, ApiError> {
    let not_archive = || {
        archive_error("The file is not a base archive: export one with POST /api/v1/bases/{baseId}/export.".to_owned())
    };
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|_| not_archive())?;
    if value.get("format").and_then(serde_json::Value::as_str) != Some(FORMAT) {
        return Err(not_archive());
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64).ok_or_else(not_archive)?;
    if version > u64::from(VERSION) {
        return Err(archive_error(format!(
            "The archive was written by a newer version of the service (archive format {version}; this one reads up \
             to {VERSION}). Restore it on a deployment at least as new as the one that exported it."
        ))
        .with("version", version));
    }
    serde_json::from_value(value).map_err(|_| not_archive())
}

/// A refusal of an archive, naming it as the `archive` member.
pub fn archive_error(message: String) -> ApiError {
    ApiError::new(ErrorCode::ValidationError, message).with("field", "archive")
}

/// The second line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contents {
    pub catalog: Catalog,
    pub settings: Settings,
    /// Control-plane rows by table (`tables`, `fields`, `table_aliases`, `field_aliases`,
    /// `views`, `view_versions`), each as Postgres's `to_jsonb` gives it.
    pub control: BTreeMap<String, Vec<serde_json::Value>>,
    /// Metadata only: a restored base has no token or view key (make new ones).
    pub tokens: Vec<serde_json::Value>,
    pub view_keys: Vec<serde_json::Value>,
    /// Without their secrets: restored disabled, with a new secret.
    pub webhooks: Vec<serde_json::Value>,
    /// The attached files (`nc.files` rows).
    pub files: Vec<serde_json::Value>,
}

/// A base's own settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub monthly_request_quota: Option<i64>,
    pub upload_max_bytes: Option<i64>,
    pub upload_content_types: Vec<String>,
}

/// A line that starts what follows the contents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// `columns` are the physical columns of the `COPY` rows that follow.
    Records {
        table: TableId,
        columns: Vec<String>,
        count: i64,
    },
    Object {
        file: uuid::Uuid,
        size: i64,
    },
    End {
        records: i64,
        objects: i64,
    },
}

/// Old ids to new ones. Ids appear in catalog rows as UUIDs and in physical names in
/// their 32-digit form (`f_<id>`); both are replaced wherever they occur in a string.
#[derive(Clone, Debug, Default)]
pub struct IdMap {
    ids: HashMap<uuid::Uuid, uuid::Uuid>,
}

impl IdMap {
    /// Maps `old` to a new id from `fresh`, unless it is mapped already.
    pub fn insert(&mut self, old: uuid::Uuid, fresh: impl FnOnce() -> uuid::Uuid) -> uuid::Uuid {
        *self.ids.entry(old).or_insert_with(fresh)
    }

    pub fn get(&self, old: uuid::Uuid) -> Option<uuid::Uuid> {
        self.ids.get(&old).copied()
    }

    /// `text` with every mapped id replaced, in either form.
    pub fn text(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut at = 0;
        while at < bytes.len() {
            let replaced = [36, 32].into_iter().find_map(|len| {
                let candidate = text.get(at..at + len)?;
                // A longer run of hex digits is another value, not an id.
                let bounded = |index: Option<&u8>| index.is_none_or(|byte| !byte.is_ascii_hexdigit());
                if !bounded(at.checked_sub(1).and_then(|before| bytes.get(before))) || !bounded(bytes.get(at + len)) {
                    return None;
                }
                let id = uuid::Uuid::try_parse(candidate).ok()?;
                let new = self.get(id)?;
                let form = if len == 36 { new.hyphenated().to_string() } else { new.simple().to_string() };
                Some((len, form))
            });
            match replaced {
                Some((len, form)) => {
                    out.push_str(&text[copied..at]);
                    out.push_str(&form);
                    at += len;
                    copied = at;
                }
                None => at += 1,
            }
        }
        out.push_str(&text[copied..]);
        out
    }

    /// `value` with every mapped id replaced, in strings and in object keys.
    pub fn value(&self, value: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(text) => Value::String(self.text(text)),
            Value::Array(items) => Value::Array(items.iter().map(|item| self.value(item)).collect()),
            Value::Object(members) => {
                Value::Object(members.iter().map(|(key, item)| (self.text(key), self.value(item))).collect())
            }
            other => other.clone(),
        }
    }
}

/// `POST /api/v1/bases/{baseId}/export`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    /// Put the attached files' bytes in the archive too (by default only their metadata).
    #[serde(default)]
    pub include_files: bool,
}

/// Where a restore reads its archive.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveSource {
    /// A base the caller administers, holding the archive.
    pub base: BaseId,
    /// A succeeded export job of that base; or give `file`.
    #[serde(default)]
    pub job: Option<uuid::Uuid>,
    /// An upload of that base (`files:signUpload`) holding an archive; or give `job`.
    #[serde(default)]
    pub file: Option<uuid::Uuid>,
}

/// `POST /api/v1/workspaces/{workspaceId}/bases:restore`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreRequest {
    /// The new base's name.
    pub name: String,
    pub from: ArchiveSource,
}

/// `POST /api/v1/bases/{baseId}/clone`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloneRequest {
    /// The copy's name.
    pub name: String,
    /// The workspace to put it in (one the caller administers); the base's own by default.
    #[serde(default)]
    pub workspace: Option<WorkspaceId>,
    /// Copy the attached files' bytes too (the default); without them, file fields are
    /// left empty in the copy.
    #[serde(default = "yes")]
    pub include_files: bool,
}

fn yes() -> bool {
    true
}

/// What a restore or a clone answers: the new base (usable once its job succeeded) and
/// the job, followed at `/v1/jobs/{jobId}` of the new base.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Restoring {
    pub base: crate::resource::BaseSummary,
    pub job: crate::bulk::Job,
}

/// What a restore made, and what it left for an admin to do.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
pub struct Restored {
    /// The base the archive was exported from.
    pub source: BaseId,
    pub tables: i64,
    pub records: i64,
    /// Attached files restored with their bytes.
    pub files: i64,
    /// Attachments left out, because the archive holds no bytes for them (their fields
    /// are empty in the new base).
    pub files_omitted: i64,
    /// Views that were published: publish them again (a public URL names one base).
    pub views_to_publish: Vec<String>,
    /// Tokens and view keys are not restored (their secrets are not in an archive):
    /// make new ones.
    pub tokens_not_restored: i64,
    pub view_keys_not_restored: i64,
    /// Webhooks are restored disabled, with a new secret: enable each after taking it.
    pub webhooks_disabled: i64,
}

/// How an archive is restored, kept with its job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestoreSource {
    /// An archive in the object store.
    Archive { key: String },
    /// A live base, exported first (a clone).
    Base { base: BaseId, include_files: bool },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_replaced_in_both_forms_and_nothing_else() {
        let old = uuid::Uuid::from_u128(0xabc);
        let new = uuid::Uuid::from_u128(0xdef);
        let mut map = IdMap::default();
        assert_eq!(map.insert(old, || new), new);
        assert_eq!(map.insert(old, uuid::Uuid::nil), new, "mapped once");
        let other = uuid::Uuid::from_u128(0x123);
        let text = format!("{old} f_{} {other} a{}", old.simple(), old.simple());
        assert_eq!(map.text(&text), format!("{new} f_{} {other} a{}", new.simple(), old.simple()));
        let value = json!({ old.to_string(): [old.to_string(), 1, null], "table": format!("t_{}", old.simple()) });
        assert_eq!(
            map.value(&value),
            json!({ new.to_string(): [new.to_string(), 1, null], "table": format!("t_{}", new.simple()) })
        );
    }

    #[test]
    fn newer_archives_and_other_files_are_refused_by_name() {
        let header = Header::new(BaseId(uuid::Uuid::nil()), "crm", "2026-01-01T00:00:00Z".into(), 3, false);
        let line = serde_json::to_vec(&header).unwrap();
        assert_eq!(read_header(&line).unwrap(), header);
        let mut newer = serde_json::to_value(&header).unwrap();
        newer["version"] = json!(VERSION + 1);
        let refused = read_header(&serde_json::to_vec(&newer).unwrap()).unwrap_err();
        assert_eq!(refused.code, ErrorCode::ValidationError);
        assert!(refused.message.contains("newer version"), "{}", refused.message);
        for other in [&b"id,name\n"[..], br#"{"format":"zip"}"#, b""] {
            assert!(read_header(other).unwrap_err().message.contains("not a base archive"));
        }
    }
}
