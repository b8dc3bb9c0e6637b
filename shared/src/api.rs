//! The public API declared once: every operation's id, method, path template, who may
//! call it, and where it is documented. The edge routes with [`find`], the origin checks
//! [`Caller::Member`] before it runs a command, the OpenAPI document takes each
//! operation's method, path, tag, summary and security from here, and the tests derive
//! their command × role matrix from [`OPERATIONS`].
//!
//! Adding an operation is one line here, its parsing at the edge (the compiler points at
//! the `match` that lacks it) and its handler at the origin.
//!
//! API Boundary: operation ids are the OpenAPI `operationId`s that generated clients name
//! their methods after; renaming one breaks them.

use crate::error::{ApiError, ErrorCode};
use crate::json_schema::SchemaFn;
use crate::manage::Action;
use crate::token::Scope;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The method of an HTTP request line; `None` for one no operation takes.
    pub fn parse(text: &str) -> Option<Method> {
        [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete]
            .into_iter()
            .find(|method| method.as_str() == text)
    }
}

/// Who may call an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// Anyone, without credentials (the generic OpenAPI document).
    Anyone,
    /// Anyone, limited per client address: signing up and in, refreshing a session.
    Anonymous,
    /// A published view: anyone, a view key or a `read` token, as its auth mode says.
    View,
    /// An API token with the scope, or a signed-in member whose role grants it.
    Token(Scope),
    /// Any signed-in user, about themself.
    SignedIn,
    /// A signed-in member of the workspace (of the base) whose role allows the action.
    /// Some operations ask more of the role once they see their target (granting the admin
    /// role, deleting a published view); their handlers say so.
    Member(Action),
    /// A signed-in platform operator (a role the operator CLI grants, never a tenant).
    Operator,
}

/// Where an operation is listed in the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Records,
    Bulk,
    Meta,
    Views,
    Accounts,
    Workspaces,
    Bases,
    Tokens,
    Webhooks,
    Schema,
    Platform,
}

impl Tag {
    pub const ALL: [Tag; 11] = [
        Tag::Records,
        Tag::Bulk,
        Tag::Meta,
        Tag::Views,
        Tag::Accounts,
        Tag::Workspaces,
        Tag::Bases,
        Tag::Tokens,
        Tag::Webhooks,
        Tag::Schema,
        Tag::Platform,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tag::Records => "Records",
            Tag::Bulk => "Files and jobs",
            Tag::Meta => "Meta",
            Tag::Views => "Views",
            Tag::Accounts => "Accounts",
            Tag::Workspaces => "Workspaces",
            Tag::Bases => "Bases",
            Tag::Tokens => "API tokens",
            Tag::Webhooks => "Webhooks",
            Tag::Schema => "Schema",
            Tag::Platform => "Platform",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Tag::Records => "Records of any table of the token's base, named by `{tableId}`.",
            Tag::Meta => "The API description and the base's schema.",
            Tag::Views => {
                "Saved queries of one table, versioned, published as read-only endpoints the edge caches until the \
                 data changes."
            }
            Tag::Accounts => "Sign-up, sessions (access and refresh tokens), the current user.",
            Tag::Workspaces => "Workspaces and their members' roles (owner, admin, editor, viewer).",
            Tag::Bases => "Bases: one Postgres schema each.",
            Tag::Bulk => {
                "Uploads to the base's object storage, and CSV imports and exports run as jobs whose progress \
                 and result can be followed."
            }
            Tag::Tokens => "Tokens of one base with scopes; secrets are shown once.",
            Tag::Webhooks => {
                "Endpoints that receive a base's record changes as signed POSTs (Standard Webhooks), from its \
                 change log: at least once, in order per record, retried with backoff for days, with a delivery \
                 log."
            }
            Tag::Schema => {
                "Tables and fields without SQL: every change serialized per base, recorded, and visible to the \
                 records API at once."
            }
            Tag::Platform => {
                "The platform operators' tools (the admin host): tenants, their plans and usage, suspending and \
                 resuming a tenant, the audit log of every tenant, and the platform's health."
            }
        }
    }
}

/// One operation of the API.
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    pub id: OperationId,
    /// The OpenAPI `operationId`.
    pub name: &'static str,
    pub method: Method,
    /// The path, with `{name}` for each parameter segment.
    pub path: &'static str,
    pub caller: Caller,
    pub tag: Tag,
    pub summary: &'static str,
    /// The JSON body it takes, if any.
    pub request: Option<SchemaFn>,
    /// Its successful answer: the status and the body (of each event, for a stream).
    pub response: (u16, SchemaFn),
    /// The answer is a stream of server-sent events ([`crate::events`]).
    pub events: bool,
    /// The errors particular to it, each with its cause here (an empty cause: the code's
    /// general meaning). The document adds those its caller and body imply: authentication,
    /// the edge's guards, a malformed body, idempotency keys.
    pub errors: &'static [(ErrorCode, &'static str)],
}

/// Operations are the same when their ids are.
impl PartialEq for Operation {
    fn eq(&self, other: &Operation) -> bool {
        self.id == other.id
    }
}

impl Eq for Operation {}

macro_rules! operations {
    (@request) => { None };
    (@request $request:ty) => { Some(crate::json_schema::of::<$request> as SchemaFn) };
    (@errors) => { &[] };
    (@errors $errors:expr) => { $errors };
    (@events) => { false };
    (@events events) => { true };
    ($($id:ident $name:literal: $method:ident $path:literal, $tag:ident, $caller:expr, $summary:literal,
       $(body $request:ty)? => $status:literal $response:ty $(as $events:ident)? $(, errors $errors:expr)?;)*) => {
        /// Every operation, by the name the code matches on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum OperationId {
            $($id,)*
        }

        /// Every operation of the API, in the order of the reference.
        pub const OPERATIONS: &[Operation] = &[
            $(Operation {
                id: OperationId::$id,
                name: $name,
                method: Method::$method,
                path: $path,
                caller: $caller,
                tag: Tag::$tag,
                summary: $summary,
                request: operations!(@request $($request)?),
                response: ($status, crate::json_schema::of::<$response> as SchemaFn),
                events: operations!(@events $($events)?),
                errors: operations!(@errors $($errors)?),
            },)*
        ];
    };
}

use crate::records as rec;
use crate::resource as res;
use Action::{AlterSchema, EditViews, ManageBilling, ManageMembers, ReadData, ShareApi, WriteData};
use Caller::{Anonymous, Anyone, Member, Operator, SignedIn, Token, View};
use ErrorCode::*;

/// The causes shared by several operations.
const NO_QUERY: (ErrorCode, &str) = (InvalidQuery, "The route takes no query parameters.");
const FIELD_ERRORS: (ErrorCode, &str) = (
    ValidationError,
    "A value does not fit its field, a required field is missing, or a field is unknown; `details.errors` lists \
     every problem as `{field, code, message}`.",
);
const BAD_IF_MATCH: (ErrorCode, &str) = (InvalidRequest, "`If-Match` is not an ETag of this API (`\"3\"`) or `*`.");
const NAME_TAKEN: (ErrorCode, &str) =
    (NameTaken, "The name is taken in the base (or table), or is a former name still in its grace period.");
const BAD_DEFINITION: (ErrorCode, &str) =
    (ValidationError, "A name, type, option or default is invalid; `details.field` names the member.");
const NO_TABLE: (ErrorCode, &str) = (TableNotFound, "No table by that id or current name in the base.");
const BUSY: (ErrorCode, &str) =
    (ServiceUnavailable, "Another change of this base is running, or a table is busy; retry.");
const NO_FIELD: (ErrorCode, &str) = (NotFound, "No field by that id or current name in the table.");
const READ_POLICY: (ErrorCode, &str) =
    (PolicyDenied, "The caller's policy hides a field the request reads, filters or sorts on (`field_not_readable`).");
const WRITE_POLICY: (ErrorCode, &str) = (
    PolicyDenied,
    "The caller's policy does not let it write a field \
    (`field_not_writable`), or the record would be outside the rows it may see (`row_outside_policy`).",
);
const VIEW_POLICY: (ErrorCode, &str) =
    (PolicyDenied, "A policy restricts what editors see of the table, so they cannot define views over it.");
const BAD_VIEW: (ErrorCode, &str) =
    (ValidationError, "The definition does not fit the table: a field, operator, parameter or limit is invalid.");

operations! {
    ListRecords "listRecords": Get "/v1/tables/{tableId}/records", Records, Token(Scope::Read), "List records",
        => 200 rec::RecordList, errors &[
            (InvalidQuery, "A parameter is unknown, repeated or malformed; a field is unknown, not sortable, or does \
                            not take the operator; too many conditions, sort keys or `in` values; `where` too deep or \
                            too long; the cursor is altered or belongs to another query; `ids[]` is given."),
            (PayloadTooLarge, "`limit` is over 1000; page with `cursor` instead."),
            (ValidationError, "A filter value does not parse for its field (e.g. `filter[amount][gt]=ten`)."),
            READ_POLICY,
        ];
    CreateRecord "createRecord": Post "/v1/tables/{tableId}/records", Records, Token(Scope::Write), "Create a record",
        body rec::RecordCreate => 201 rec::Record, errors &[
            NO_QUERY, FIELD_ERRORS,
            (DuplicateRecord, "The body's `id` is taken."),
            (UniqueViolation, ""),
            WRITE_POLICY,
        ];
    DeleteRecords "deleteRecords": Delete "/v1/tables/{tableId}/records", Records, Token(Scope::Delete),
        "Delete records by ids or by filter",
        => 200 rec::DeleteManyResult, errors &[
            (InvalidQuery, "Neither `ids[]` nor a filter, or both; `cursor`, `sort` or `fields` given; a filter is \
                            malformed or names an unknown field or an operator its type does not take."),
            (InvalidRequest, "Filters without `X-Allow-Filtered-Delete: true`."),
            (PayloadTooLarge, "More than 1000 ids."),
            (ValidationError, "An id is not a UUID, or a filter value does not parse for its field."),
            (RecordLinked, "One of the records is linked from a record of another table through a link that \
                            restricts deletes; nothing was deleted."),
            READ_POLICY,
        ];
    GetRecord "getRecord": Get "/v1/tables/{tableId}/records/{id}", Records, Token(Scope::Read), "Get a record",
        => 200 rec::Record, errors &[
            (InvalidQuery, "A parameter other than `fields` and `include`, an unknown field in `fields`, or an \
                            `include` that names no link."),
            (RecordNotFound, "No record with this id (an id that is not a UUID cannot exist either)."),
            READ_POLICY,
        ];
    UpdateRecord "updateRecord": Patch "/v1/tables/{tableId}/records/{id}", Records, Token(Scope::Write),
        "Update a record",
        body rec::RecordUpdate => 200 rec::Record, errors &[
            (InvalidRequest, "`values` is empty, or the body names an `id` (ids cannot change)."),
            BAD_IF_MATCH, NO_QUERY, FIELD_ERRORS,
            (RecordNotFound, "No record with this id."),
            (UniqueViolation, ""),
            (PreconditionFailed, ""),
            WRITE_POLICY,
        ];
    DeleteRecord "deleteRecord": Delete "/v1/tables/{tableId}/records/{id}", Records, Token(Scope::Delete),
        "Delete a record",
        => 200 rec::DeleteResult, errors &[
            BAD_IF_MATCH, NO_QUERY,
            (RecordNotFound, "No record with this id."),
            (PreconditionFailed, ""),
            (RecordLinked, ""),
        ];
    BatchUpsertRecords "batchUpsertRecords": Post "/v1/tables/{tableId}/records:batchUpsert", Records,
        Token(Scope::Write), "Insert or update records in one batch",
        body rec::BatchUpsert => 200 rec::BatchUpsertResult, errors &[
            (InvalidRequest, "`items` is empty."),
            (InvalidQuery, "A parameter other than `unique`, or `unique` names an unknown or non-unique field."),
            (PayloadTooLarge, "More than 1000 items."),
            (ValidationError, "An item's value does not fit its field, a required field or the key is missing, two \
                               items have the same key or id, or two items match the same record; `details.errors` \
                               lists every problem as `{index, field, code, message}`."),
            (DuplicateRecord, "An inserted item's `id` is taken."),
            (UniqueViolation, "A value of another unique field than the key is taken."),
            WRITE_POLICY,
        ];
    WatchRecords "watchRecords": Get "/v1/tables/{tableId}/events", Records, Token(Scope::Read),
        "Follow a table's changes as server-sent events",
        => 200 rec::RecordEvent as events, errors &[
            (InvalidQuery, "A filter, `where` or `fields` parameter is invalid, as for listing records; `limit`, \
                            `cursor`, `sort` and `include` do not apply."),
            (InvalidRequest, "`Last-Event-ID` is not the id of an event of this API, or names a position of \
                              another base."),
            (ValidationError, "A filter value does not parse for its field."),
            READ_POLICY,
            (RateLimited, "The base has as many open event streams as the origin allows; close one."),
        ];
    PollRecords "pollRecords": Get "/v1/tables/{tableId}/events:poll", Records, Token(Scope::Read),
        "Read a table's changes after a position, waiting for one (long poll)",
        => 200 rec::RecordChanges, errors &[
            (InvalidQuery, "A filter, `where` or `fields` parameter is invalid, as for listing records; `limit`, \
                            `cursor`, `sort` and `include` do not apply; `after` is not a position of this API, \
                            or `wait` is not a number of seconds from 0 to 20."),
            (ValidationError, "A filter value does not parse for its field."),
            READ_POLICY,
            (RateLimited, "The base has as many open event streams as the origin allows; close one."),
        ];
    ValidateRecord "validateRecord": Post "/v1/tables/{tableId}/records:validate", Records, Token(Scope::Read),
        "Check a record without writing it",
        body rec::RecordCreate => 200 rec::Validated, errors &[NO_QUERY, FIELD_ERRORS];
    BatchDeleteRecords "batchDeleteRecords": Post "/v1/tables/{tableId}/records:batchDelete", Records,
        Token(Scope::Delete), "Delete records by id in one batch, all or none",
        body rec::BatchDelete => 200 rec::DeleteManyResult, errors &[
            (InvalidRequest, "`ids` is empty."),
            NO_QUERY,
            (PayloadTooLarge, "More than 1000 ids."),
            (ValidationError, "An id is not a UUID."),
            (RecordNotFound, "Some ids are not records of the table (`details.missing`); nothing was deleted."),
            (RecordLinked, "One of the records is linked from a record of another table through a link that \
                            restricts deletes; nothing was deleted."),
        ];
    SignUpload "signUpload": Post "/v1/files:signUpload", Bulk, Token(Scope::Write),
        "Get a presigned form to upload a file",
        body crate::bulk::UploadRequest => 201 crate::bulk::UploadForm, errors &[
            NO_QUERY,
            (ValidationError, "The name, media type or checksum is invalid; `details.field` names it."),
            (PayloadTooLarge, "`size` is zero or over the base's upload limit (`details.max`)."),
        ];
    ImportCsv "importCsv": Post "/v1/tables/{tableId}/import:csv", Bulk, Token(Scope::Write),
        "Import a CSV into a table, as a job",
        body crate::bulk::ImportRequest => 202 crate::bulk::Job, errors &[
            NO_QUERY,
            (InvalidRequest, "Neither or both of `file` and `csv` are given."),
            (PayloadTooLarge, "`csv` holds more than 1 MiB; upload the file first."),
            (ValidationError, "`unique` is not a unique field, the mapping names a field that is unknown or \
                               computed, or an encoding or delimiter is invalid; `details.field` names the member."),
            (NotFound, "`file` is not an upload of this base."),
            WRITE_POLICY,
        ];
    ExportCsv "exportCsv": Get "/v1/tables/{tableId}/export:csv", Bulk, Token(Scope::Read),
        "Export a table's records as CSV, as a job",
        => 202 crate::bulk::Job, errors &[
            (InvalidQuery, "A filter, sort or `fields` parameter is invalid, as for listing records; `limit` and \
                            `cursor` do not apply."),
            (ValidationError, "A filter value does not parse for its field."),
            READ_POLICY,
        ];
    GetJob "getJob": Get "/v1/jobs/{jobId}", Bulk, Token(Scope::Read), "Get a job's progress and result",
        => 200 crate::bulk::Job, errors &[(NotFound, "No job of this base has this id.")];
    WatchJob "watchJob": Get "/v1/jobs/{jobId}/events", Bulk, Token(Scope::Read),
        "Follow a job's progress as server-sent events",
        => 200 crate::bulk::Job as events, errors &[
            NO_QUERY,
            (InvalidRequest, "`Last-Event-ID` is not the id of an event of this API."),
            (NotFound, "No job of this base has this id."),
            (RateLimited, "The base has as many open event streams as the origin allows; close one or poll \
                           `GET /v1/jobs/{jobId}`."),
        ];
    CancelJob "cancelJob": Post "/v1/jobs/{jobId}/cancel", Bulk, Token(Scope::Write),
        "Cancel a job (an import keeps the batches it committed)",
        => 200 crate::bulk::Job, errors &[(NotFound, "No job of this base has this id.")];
    GetOpenApi "getOpenApi": Get "/v1/openapi.json", Meta, Anyone, "This document",
        => 200 rec::OpenApiDocument;
    GetBaseOpenApi "getBaseOpenApi": Get "/v1/meta/openapi.json", Meta, Token(Scope::Read),
        "This document for the token's base, typed per table",
        => 200 rec::OpenApiDocument;
    ListTables "listTables": Get "/v1/meta/tables", Meta, Token(Scope::Read), "List the tables of the token's base",
        => 200 res::TableList;
    GetTable "getTable": Get "/v1/meta/tables/{tableId}", Meta, Token(Scope::Read), "Get one table's schema",
        => 200 res::Table, errors &[
            (TableNotFound, ""),
            (InvalidQuery, "The `{tableId}` segment has a malformed percent-escape."),
        ];
    GetViewData "getViewData": Get "/public/views/{slug}/data", Views, View, "A published view's records",
        => 200 rec::ViewPage, errors &[
            (InvalidQuery, "A parameter, filter or sort the view does not allow, or a cursor of another query."),
            (ValidationError, "A parameter's value does not fit its type, or a required one is missing."),
            (PayloadTooLarge, "`limit` is over the view's maximum."),
        ];
    GetViewMeta "getViewMeta": Get "/public/views/{slug}/meta", Views, View, "How to call a published view",
        => 200 crate::view::ViewMeta;
    WatchView "watchView": Get "/public/views/{slug}/events", Views, View,
        "Follow a published view's changes as server-sent events",
        => 200 rec::RecordEvent as events, errors &[
            (InvalidQuery, "`limit`, `cursor` or `sort`, or a parameter or filter the view does not allow."),
            (ValidationError, "A parameter's value does not fit its type, or a required one is missing."),
        ];

    Register "register": Post "/api/v1/auth/register", Accounts, Anonymous, "Create an account",
        body crate::manage::Register => 201 res::Registered, errors &[
            (ValidationError, "The email, password or name is invalid; `details.field` names it."),
            (EmailTaken, ""),
        ];
    Login "login": Post "/api/v1/auth/login", Accounts, Anonymous, "Sign in",
        body crate::manage::Login => 200 res::Session, errors &[
            (InvalidCredentials, ""),
            (RateLimited, "Too many failed sign-ins for this email or from this address: after 5 for an email (20 \
                           for an address) each further one waits twice as long, 1 s up to 15 min (`Retry-After`, \
                           `details.retry_after_seconds`). The answer is the same whether or not the email has an \
                           account."),
        ];
    Refresh "refresh": Post "/api/v1/auth/refresh", Accounts, Anonymous, "Refresh a session",
        body crate::manage::RefreshRequest => 200 res::Session, errors &[
            (InvalidToken, "The refresh token is invalid, expired, revoked or was already used."),
        ];
    Logout "logout": Post "/api/v1/auth/logout", Accounts, Anonymous, "Sign out",
        body crate::manage::RefreshRequest => 200 res::LoggedOut, errors &[
            (InvalidToken, "The refresh token is invalid."),
        ];
    Me "me": Get "/api/v1/auth/me", Accounts, SignedIn, "Who am I",
        => 200 res::Me;
    ListMyInvitations "listMyInvitations": Get "/api/v1/invitations", Accounts, SignedIn,
        "List the invitations waiting for me",
        => 200 res::MyInvitationList;
    AcceptInvitation "acceptInvitation": Post "/api/v1/invitations/{invitationId}/accept", Accounts, SignedIn,
        "Accept an invitation",
        => 200 res::InvitationAnswered;
    DeclineInvitation "declineInvitation": Post "/api/v1/invitations/{invitationId}/decline", Accounts, SignedIn,
        "Decline an invitation",
        => 200 res::InvitationAnswered;
    ListWorkspaces "listWorkspaces": Get "/api/v1/workspaces", Workspaces, SignedIn, "List my workspaces",
        => 200 res::WorkspaceList;
    ListMembers "listMembers": Get "/api/v1/workspaces/{workspaceId}/members", Workspaces, Member(ReadData),
        "List a workspace's members",
        => 200 res::MemberList;
    SetMember "setMember": Put "/api/v1/workspaces/{workspaceId}/members", Workspaces, Member(ManageMembers),
        "Invite someone or change a member's role",
        body crate::manage::MemberRequest => 200 res::Member, errors &[
            (ValidationError, "The email or role is invalid, or the last owner would go."),
        ];
    RemoveMember "removeMember": Delete "/api/v1/workspaces/{workspaceId}/members/{userId}", Workspaces,
        Member(ManageMembers), "Remove a member",
        => 200 res::MemberRemoved, errors &[(ValidationError, "The last owner cannot be removed.")];
    ListInvitations "listInvitations": Get "/api/v1/workspaces/{workspaceId}/invitations", Workspaces,
        Member(ManageMembers), "List a workspace's pending invitations",
        => 200 res::InvitationList;
    RevokeInvitation "revokeInvitation": Delete "/api/v1/workspaces/{workspaceId}/invitations/{invitationId}",
        Workspaces, Member(ManageMembers), "Revoke an invitation",
        => 200 res::InvitationAnswered;
    ListAuditEvents "listAuditEvents": Get "/api/v1/workspaces/{workspaceId}/audit", Workspaces,
        Member(ManageMembers), "Read a workspace's audit log, newest first",
        => 200 res::AuditPage, errors &[
            (InvalidQuery, "A parameter other than `actor`, `action`, `resource`, `base`, `since`, `until`, \
                            `cursor` and `limit` (1 to 200), or a malformed one."),
        ];
    ListBases "listBases": Get "/api/v1/workspaces/{workspaceId}/bases", Bases, Member(ReadData),
        "List a workspace's bases",
        => 200 res::BaseList;
    CreateBase "createBase": Post "/api/v1/workspaces/{workspaceId}/bases", Bases, Member(AlterSchema),
        "Create a base",
        body crate::manage::NameRequest => 201 res::BaseSummary, errors &[
            (ValidationError, "The name is empty, too long or has control characters."),
            (PlanLimit, "The workspace has as many bases as its plan allows (`bases_per_workspace`)."),
        ];
    GetBase "getBase": Get "/api/v1/bases/{baseId}", Bases, Member(ReadData), "Get a base with its tables",
        => 200 res::Base;
    GetBaseReference "getBaseReference": Get "/api/v1/bases/{baseId}/openapi.json", Bases, Member(ReadData),
        "A base's own OpenAPI document, typed per table",
        => 200 rec::OpenApiDocument;
    DeleteBase "deleteBase": Delete "/api/v1/bases/{baseId}", Bases, Member(AlterSchema), "Delete a base (soft)",
        => 200 res::BaseDeleted;
    ExportBase "exportBase": Post "/api/v1/bases/{baseId}/export", Bases, Member(AlterSchema),
        "Export a base to an archive, as a job",
        body crate::archive::ExportRequest => 202 crate::bulk::Job, errors &[
            NO_QUERY,
            (ServiceUnavailable, "This deployment has no object storage configured, or the base is being restored."),
        ];
    RestoreBase "restoreBase": Post "/api/v1/workspaces/{workspaceId}/bases:restore", Bases, Member(AlterSchema),
        "Restore an archive into a new base, as a job",
        body crate::archive::RestoreRequest => 202 crate::archive::Restoring, errors &[
            NO_QUERY,
            (InvalidRequest, "Neither or both of `from.job` and `from.file` are given."),
            (ValidationError, "The name is invalid, or the file is not a base archive or was written by a newer \
                               version of the service (`details.field` is `archive`)."),
            (Forbidden, "The caller does not administer the base that holds the archive."),
            (NotFound, "No export job that succeeded, or no upload, of that base has this id."),
            (PlanLimit, "The workspace has as many bases as its plan allows (`bases_per_workspace`)."),
            (ServiceUnavailable, "This deployment has no object storage configured."),
        ];
    CloneBase "cloneBase": Post "/api/v1/bases/{baseId}/clone", Bases, Member(AlterSchema),
        "Copy a base into a new one, as a job",
        body crate::archive::CloneRequest => 202 crate::archive::Restoring, errors &[
            NO_QUERY,
            (ValidationError, "The name is invalid."),
            (Forbidden, "The caller does not administer the target workspace."),
            (PlanLimit, "The workspace has as many bases as its plan allows (`bases_per_workspace`)."),
            (ServiceUnavailable, "This deployment has no object storage configured, or the base is being restored."),
        ];
    GetUsage "getUsage": Get "/api/v1/bases/{baseId}/usage", Bases, Member(ShareApi), "Get a base's metered usage",
        => 200 res::UsageReport;
    SetQuota "setQuota": Put "/api/v1/bases/{baseId}/quota", Bases, Member(ManageBilling),
        "Set a base's monthly request quota",
        body crate::manage::QuotaRequest => 200 res::QuotaSet;
    SetFileSettings "setFileSettings": Put "/api/v1/bases/{baseId}/files/settings", Bases, Member(AlterSchema),
        "Set the largest upload and the media types a base takes",
        body crate::bulk::FileSettings => 200 crate::bulk::StorageUsage;
    ListChanges "listChanges": Get "/api/v1/bases/{baseId}/changes", Bases, Member(ShareApi),
        "Read the base's change log",
        => 200 res::ChangeFeed;
    ListTableHistory "listTableHistory": Get "/api/v1/bases/{baseId}/tables/{table}/history", Bases,
        Member(ReadData), "Read a table's history, newest first",
        => 200 res::TableHistory, errors &[
            (TableNotFound, "No such table in the base."),
            (PolicyDenied, "A policy restricts what the member's role sees of the table (`restricted_by_policy`)."),
        ];
    RevertChange "revertChange": Post "/api/v1/bases/{baseId}/tables/{table}/history/{seq}/revert", Bases,
        Member(WriteData), "Undo one change of a record: restore it, undelete it, or remove it again",
        => 200 res::Reverted, errors &[
            (TableNotFound, "No such table in the base."),
            (NotFound, "No change with this sequence number in the table's history."),
            (PreconditionFailed, "The record changed after this change (`details.later_change`): revert that one \
                                  first, newest first."),
            (PolicyDenied, "A policy restricts what the member's role sees of the table (`restricted_by_policy`)."),
            (ValidationError, "A restored value no longer fits its field (its rules or type changed since)."),
            (UniqueViolation, "A restored value of a unique field is taken by another record now."),
            (DuplicateRecord, "The deleted record's id was taken since."),
        ];
    UndoChanges "undoChanges": Post "/api/v1/bases/{baseId}/changes:undo", Bases, Member(AlterSchema),
        "Undo everything written to a base after a time, or preview it",
        body crate::manage::UndoRequest => 200 res::UndoReport, errors &[
            NO_QUERY,
            (ValidationError, "`after` is not an RFC 3339 date-time, more records changed since than one undo \
                               writes (`details.records`, `details.limit`), or a value written back no longer \
                               fits its field."),
            (PreconditionFailed, "A record the undo covers was written after `through` \
                                  (`details.latest_change`): preview again."),
            (UniqueViolation, "A value written back of a unique field is taken by another record now."),
            (ServiceUnavailable, "The base is being restored."),
        ];
    ListTokens "listTokens": Get "/api/v1/bases/{baseId}/tokens", Tokens, Member(ShareApi), "List a base's API tokens",
        => 200 res::TokenList;
    CreateToken "createToken": Post "/api/v1/bases/{baseId}/tokens", Tokens, Member(ShareApi), "Create an API token",
        body crate::manage::TokenRequest => 201 res::CreatedToken, errors &[
            (ValidationError, "A scope is unknown, none is given, the expiry is not in the future, or `rate_limit` \
                               allows more than the tenant's plan (a token's own limit may only be lower; \
                               `details.max`)."),
        ];
    RevokeToken "revokeToken": Delete "/api/v1/bases/{baseId}/tokens/{tokenId}", Tokens, Member(ShareApi),
        "Revoke an API token",
        => 200 res::TokenRevoked;
    ListWebhooks "listWebhooks": Get "/api/v1/bases/{baseId}/webhooks", Webhooks, Member(ShareApi),
        "List a base's webhook endpoints",
        => 200 crate::webhook::WebhookList;
    CreateWebhook "createWebhook": Post "/api/v1/bases/{baseId}/webhooks", Webhooks, Member(ShareApi),
        "Create a webhook endpoint (its secret is shown once)",
        body crate::webhook::WebhookRequest => 201 crate::webhook::CreatedWebhook, errors &[
            (ValidationError, "The name, URL, events, tables or filter is invalid, or the URL's host is a private \
                               or loopback address the deployment does not let webhooks reach; `details.field` \
                               names the member."),
            (TableNotFound, "`tables` names a table the base does not have."),
            (PlanLimit, "The base has as many endpoints as allowed (20)."),
        ];
    UpdateWebhook "updateWebhook": Patch "/api/v1/bases/{baseId}/webhooks/{webhookId}", Webhooks,
        Member(ShareApi), "Change a webhook endpoint, or turn it on again",
        body crate::webhook::WebhookPatch => 200 crate::webhook::Webhook, errors &[
            (InvalidRequest, "The body changes nothing."),
            (ValidationError, "The name, URL, events, tables or filter is invalid; `details.field` names it."),
            (TableNotFound, "`tables` names a table the base does not have."),
            (NotFound, "No endpoint of this base has this id."),
        ];
    DeleteWebhook "deleteWebhook": Delete "/api/v1/bases/{baseId}/webhooks/{webhookId}", Webhooks,
        Member(ShareApi), "Delete a webhook endpoint and its delivery log",
        => 200 crate::webhook::WebhookDeleted, errors &[(NotFound, "No endpoint of this base has this id.")];
    RotateWebhookSecret "rotateWebhookSecret": Post "/api/v1/bases/{baseId}/webhooks/{webhookId}/secret", Webhooks,
        Member(ShareApi), "Give a webhook endpoint a new secret (shown once)",
        => 200 crate::webhook::CreatedWebhook, errors &[(NotFound, "No endpoint of this base has this id.")];
    ListWebhookDeliveries "listWebhookDeliveries": Get "/api/v1/bases/{baseId}/webhooks/{webhookId}/deliveries",
        Webhooks, Member(ShareApi), "Read an endpoint's delivery log, newest first",
        => 200 crate::webhook::DeliveryList, errors &[
            (InvalidQuery, "A parameter other than `state`, `before` and `limit` (1 to 100), or a malformed one."),
            (NotFound, "No endpoint of this base has this id."),
        ];
    RedeliverWebhook "redeliverWebhook":
        Post "/api/v1/bases/{baseId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", Webhooks,
        Member(ShareApi), "Send a delivery again, now",
        => 200 crate::webhook::Delivery, errors &[(NotFound, "No delivery of this endpoint has this id.")];
    ListSchemaOps "listSchemaOps": Get "/api/v1/bases/{baseId}/schema-ops", Schema, Member(AlterSchema),
        "List a base's schema operations",
        => 200 res::SchemaOpList;
    CreateTable "createTable": Post "/api/v1/bases/{baseId}/tables", Schema, Member(AlterSchema), "Create a table",
        body crate::schema::NewTable => 201 res::SchemaChangeResult, errors &[
            BAD_DEFINITION, NO_TABLE, BUSY, NAME_TAKEN,
            (PlanLimit, "The base has as many tables as its plan allows, or its catalog would pass the plan's size."),
        ];
    RenameTable "renameTable": Patch "/api/v1/bases/{baseId}/tables/{table}", Schema, Member(AlterSchema),
        "Rename a table",
        body crate::manage::NameRequest => 200 res::SchemaChangeResult, errors &[BAD_DEFINITION, NO_TABLE, BUSY, NAME_TAKEN];
    DropTable "dropTable": Delete "/api/v1/bases/{baseId}/tables/{table}", Schema, Member(AlterSchema),
        "Drop a table (soft)",
        => 200 res::SchemaChangeResult, errors &[NO_TABLE, BUSY];
    AddField "addField": Post "/api/v1/bases/{baseId}/tables/{table}/fields", Schema, Member(AlterSchema),
        "Add a field",
        body crate::schema::NewField => 201 res::SchemaChangeResult, errors &[
            BAD_DEFINITION, NO_TABLE, BUSY, NAME_TAKEN,
            (PlanLimit, "The table has as many fields as its plan allows, or the catalog would pass the plan's size."),
            (SchemaConflict, "Required without a default while records exist (`empty_values`)."),
        ];
    UpdateField "updateField": Patch "/api/v1/bases/{baseId}/tables/{table}/fields/{field}", Schema,
        Member(AlterSchema), "Rename, retype or reconfigure a field",
        body crate::schema::FieldPatch => 200 res::SchemaChangeResult, errors &[
            BAD_DEFINITION, NO_TABLE, BUSY, NAME_TAKEN, NO_FIELD,
            (PlanLimit, "The catalog would pass the plan's size (`catalog_bytes`)."),
            (InvalidRequest, "Nothing to change, or the field already is as asked."),
            (UnsafeTypeChange, ""),
            (SchemaConflict, "Records prevent the change: duplicates for `unique` (`duplicate_values`), empty values \
                              for `required` (`empty_values`)."),
        ];
    ConvertField "convertField": Post "/api/v1/bases/{baseId}/tables/{table}/fields/{field}/convert", Schema,
        Member(AlterSchema), "Convert a field into a new one of another type",
        body crate::schema::Conversion => 201 res::SchemaChangeResult, errors &[
            BAD_DEFINITION, NO_TABLE, BUSY, NAME_TAKEN, NO_FIELD,
            (PlanLimit, "The table has as many fields as its plan allows."),
        ];
    DropField "dropField": Delete "/api/v1/bases/{baseId}/tables/{table}/fields/{field}", Schema,
        Member(AlterSchema), "Drop a field (soft)",
        => 200 res::SchemaChangeResult, errors &[
            NO_TABLE, BUSY, NO_FIELD,
            (SchemaConflict, "A record rule, unique constraint or policy uses the field (`field_in_use`)."),
        ];
    SetTableRules "setTableRules": Put "/api/v1/bases/{baseId}/tables/{table}/rules", Schema, Member(AlterSchema),
        "Set a table's record rules and compound unique constraints",
        body crate::schema::TableRules => 200 res::SchemaChangeResult, errors &[
            BAD_DEFINITION, NO_TABLE, BUSY,
            (SchemaConflict, "Existing records break a new rule (`rule_violated`, with `count` and `examples`) or \
                              share the values of a new unique constraint (`duplicate_values`)."),
        ];
    ListIndexes "listIndexes": Get "/api/v1/bases/{baseId}/tables/{table}/indexes", Schema, Member(AlterSchema),
        "List a table's indexes and the builds in progress",
        => 200 res::IndexList, errors &[NO_TABLE];
    AddIndex "addIndex": Post "/api/v1/bases/{baseId}/tables/{table}/indexes", Schema, Member(AlterSchema),
        "Add an index on fields the table's lists sort or filter by",
        body crate::schema::NewIndex => 201 res::SchemaChangeResult, errors &[
            BAD_DEFINITION, NO_TABLE, BUSY,
            (NameTaken, "The table has an index with this name or on these fields."),
        ];
    DropIndex "dropIndex": Delete "/api/v1/bases/{baseId}/tables/{table}/indexes/{index}", Schema,
        Member(AlterSchema), "Drop an index",
        => 200 res::SchemaChangeResult, errors &[NO_TABLE, BUSY, (NotFound, "No index with that name.")];
    RevertSchemaOp "revertSchemaOp": Post "/api/v1/bases/{baseId}/schema-ops/{opId}/revert", Schema,
        Member(AlterSchema), "Revert an applied schema change",
        => 200 res::SchemaChangeResult, errors &[
            NO_TABLE, BUSY,
            (NotFound, "No operation of the base has this id."),
            (PreconditionFailed, "A later change of the same table or field (`later_op`, `later_kind`) must be \
                                 reverted first."),
            (SchemaConflict, "The change cannot be reverted (`not_revertible`: a purge, a failed change), or what it \
                              would bring back conflicts with the schema now (a name taken, something gone, \
                              something using what would go)."),
        ];
    ListDropped "listDropped": Get "/api/v1/bases/{baseId}/dropped", Schema, Member(AlterSchema),
        "List the soft-dropped tables and fields, with when each may be purged",
        => 200 res::DroppedList;
    PurgeDropped "purgeDropped": Post "/api/v1/bases/{baseId}/dropped/{droppedId}/purge", Schema,
        Member(AlterSchema), "Purge a soft-dropped table or field for good",
        body crate::schema::PurgeRequest => 200 res::SchemaChangeResult, errors &[
            BUSY,
            (NotFound, "Nothing dropped and not yet purged has this id in the base."),
            (ValidationError, "`confirm` is not the dropped item's name."),
            (SchemaConflict, "Its retention has not ended (`retention`, with `purgeable_at`), or a view still names \
                              it (`in_use`, with `dependents`)."),
        ];
    SetTablePolicies "setTablePolicies": Put "/api/v1/bases/{baseId}/tables/{table}/policies", Schema,
        Member(AlterSchema), "Set a table's row and column policies",
        body crate::schema::TablePolicies => 200 res::SchemaChangeResult, errors &[BAD_DEFINITION, NO_TABLE, BUSY];
    ListViews "listViews": Get "/api/v1/bases/{baseId}/views", Views, Member(ReadData), "List a base's views",
        => 200 res::ViewList;
    CreateView "createView": Post "/api/v1/bases/{baseId}/views", Views, Member(EditViews), "Create a view",
        body crate::view::ViewSpec => 201 res::View, errors &[
            BAD_VIEW, (TableNotFound, "No such table in the base."), VIEW_POLICY,
            (NameTaken, "A view of this name exists in the base."),
            (PlanLimit, "The base has as many views as its plan allows (`views_per_base`)."),
        ];
    GetView "getView": Get "/api/v1/bases/{baseId}/views/{view}", Views, Member(ReadData),
        "Get a view with its versions",
        => 200 res::View;
    UpdateView "updateView": Put "/api/v1/bases/{baseId}/views/{view}", Views, Member(EditViews),
        "Update a view (a new version)",
        body crate::view::ViewSpec => 200 res::View, errors &[
            BAD_VIEW, (TableNotFound, "No such table in the base."), VIEW_POLICY,
            (NameTaken, "Another view of the base has this name."),
        ];
    DeleteView "deleteView": Delete "/api/v1/bases/{baseId}/views/{view}", Views, Member(EditViews), "Delete a view",
        => 200 res::ViewDeleted;
    RollbackView "rollbackView": Post "/api/v1/bases/{baseId}/views/{view}/rollback", Views, Member(EditViews),
        "Make an earlier version active again",
        body crate::manage::RollbackRequest => 200 res::View;
    PublishView "publishView": Put "/api/v1/bases/{baseId}/views/{view}/publish", Views, Member(ShareApi),
        "Publish or unpublish a view",
        body crate::manage::Publish => 200 res::View, errors &[
            (ValidationError, "The slug or a cache setting is invalid, no slug was ever given, or the version no \
                               longer fits the table."),
            (NotFound, "No such view, or no such version of it."),
            (NameTaken, "Another view uses this slug."),
        ];
    ListViewKeys "listViewKeys": Get "/api/v1/bases/{baseId}/views/{view}/keys", Views, Member(ShareApi),
        "List a view's keys",
        => 200 res::ViewKeyList;
    CreateViewKey "createViewKey": Post "/api/v1/bases/{baseId}/views/{view}/keys", Views, Member(ShareApi),
        "Create a view key",
        body crate::manage::NameRequest => 201 res::CreatedViewKey;
    RevokeViewKey "revokeViewKey": Delete "/api/v1/bases/{baseId}/views/{view}/keys/{keyId}", Views,
        Member(ShareApi), "Revoke a view key",
        => 200 res::ViewKeyRevoked;

    ListTenants "listTenants": Get "/api/v1/operator/tenants", Platform, Operator,
        "List tenants with their plan, usage and state",
        => 200 res::TenantList, errors &[
            (InvalidQuery, "A parameter other than `q` (1 to 100 characters, part of a name, or a tenant, \
                            workspace or base id) and `limit` (1 to 500)."),
        ];
    GetTenant "getTenant": Get "/api/v1/operator/tenants/{tenantId}", Platform, Operator,
        "Get a tenant: its workspaces, bases, members and usage against its plan",
        => 200 res::TenantDetail, errors &[(NotFound, "No tenant has this id.")];
    SetTenantPlan "setTenantPlan": Put "/api/v1/operator/tenants/{tenantId}/plan", Platform, Operator,
        "Move a tenant to another plan",
        body crate::manage::PlanRequest => 200 res::TenantSummary, errors &[
            (NotFound, "No tenant has this id."),
            (ValidationError, "No plan has this name (`details.plans` lists them)."),
        ];
    SuspendTenant "suspendTenant": Post "/api/v1/operator/tenants/{tenantId}/suspend", Platform, Operator,
        "Suspend a tenant: its tokens, sessions and published views answer 403 at once",
        body crate::manage::SuspendRequest => 200 res::TenantSummary, errors &[
            (NotFound, "No tenant has this id."),
            (ValidationError, "The reason is empty, too long or has control characters."),
        ];
    ResumeTenant "resumeTenant": Post "/api/v1/operator/tenants/{tenantId}/resume", Platform, Operator,
        "Resume a suspended tenant",
        => 200 res::TenantSummary, errors &[(NotFound, "No tenant has this id.")];
    ListPlans "listPlans": Get "/api/v1/operator/plans", Platform, Operator, "List the plans and their limits",
        => 200 res::PlanList;
    ListPlatformAudit "listPlatformAudit": Get "/api/v1/operator/audit", Platform, Operator,
        "Read the audit log of every tenant, newest first",
        => 200 res::AuditPage, errors &[
            (InvalidQuery, "A parameter other than `tenant`, `actor`, `action`, `resource`, `base`, `since`, \
                            `until`, `cursor` and `limit` (1 to 200), or a malformed one."),
        ];
    GetPlatformHealth "getPlatformHealth": Get "/api/v1/operator/health", Platform, Operator,
        "The platform's health: planes, Redis, queues, streams",
        => 200 res::PlatformHealth;
}

impl OperationId {
    pub fn operation(self) -> &'static Operation {
        // The table lists the ids in declaration order, so the id is the index.
        &OPERATIONS[self as usize]
    }
}

/// The path parameters of a matched request, percent-decoded, in template order.
#[derive(Debug, PartialEq)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    /// The parameter `name`; an empty string if the template has none by that name.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(key, _)| *key == name).map_or("", |(_, value)| value.as_str())
    }
}

/// The segments of a template: literals, and `{name}` parameters.
fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').skip(1)
}

fn parameter(segment: &str) -> Option<&str> {
    segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}'))
}

/// One segment of an operation's path.
enum Part {
    Literal(&'static str),
    /// `{name}`: any segment, taken as the parameter `name`.
    Parameter(&'static str),
}

/// The operations whose path has `count` segments, each with its segments split once per
/// process.
fn templates(count: usize) -> &'static [(&'static Operation, Vec<Part>)] {
    type Templates = Vec<Vec<(&'static Operation, Vec<Part>)>>;
    static BY_LENGTH: std::sync::OnceLock<Templates> = std::sync::OnceLock::new();
    let by_length = BY_LENGTH.get_or_init(|| {
        let mut by_length: Templates = Vec::new();
        for operation in OPERATIONS {
            let parts: Vec<Part> = segments(operation.path)
                .map(|part| parameter(part).map_or(Part::Literal(part), Part::Parameter))
                .collect();
            if by_length.len() <= parts.len() {
                by_length.resize_with(parts.len() + 1, Vec::new);
            }
            by_length[parts.len()].push((operation, parts));
        }
        by_length
    });
    by_length.get(count).map_or(&[], Vec::as_slice)
}

/// The operation a request names, with its path parameters. A path that matches an
/// operation only with another method is a 405 naming the methods it takes; any other is
/// a 404.
pub fn find(method: &str, path: &str) -> Result<(&'static Operation, Params), ApiError> {
    let trimmed = path.trim_end_matches('/');
    let mut decoded = Vec::new();
    for segment in trimmed.split('/').skip(1) {
        decoded.push(crate::query::percent_decode_path(segment)?);
    }
    let mut allowed: Vec<&'static str> = Vec::new();
    for (operation, template) in templates(decoded.len()) {
        let fits = template.iter().zip(&decoded).all(|(part, segment)| match part {
            Part::Literal(literal) => literal == segment,
            Part::Parameter(_) => true,
        });
        if !fits {
            continue;
        }
        if operation.method.as_str() == method {
            // The parameters, taken only from the operation found.
            let params = template
                .iter()
                .zip(&decoded)
                .filter_map(|(part, segment)| match part {
                    Part::Parameter(name) => Some((*name, segment.clone())),
                    Part::Literal(_) => None,
                })
                .collect();
            return Ok((operation, Params(params)));
        }
        if !allowed.contains(&operation.method.as_str()) {
            allowed.push(operation.method.as_str());
        }
    }
    if allowed.is_empty() {
        return Err(ApiError::new(ErrorCode::RouteNotFound, format!("No route for '{path}'. See /v1/openapi.json."))
            .with("path", path));
    }
    let allowed = allowed.join(", ");
    Err(ApiError::new(ErrorCode::MethodNotAllowed, format!("{method} is not allowed here; use {allowed}."))
        .with("allowed", allowed))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Found = (OperationId, Vec<(&'static str, String)>);

    fn found(method: &str, path: &str) -> Result<Found, ErrorCode> {
        find(method, path).map(|(operation, params)| (operation.id, params.0)).map_err(|error| error.code)
    }

    #[test]
    fn ids_index_the_table() {
        for (index, operation) in OPERATIONS.iter().enumerate() {
            assert_eq!(operation.id as usize, index);
            assert_eq!(operation.id.operation(), operation);
            let pascal = format!("{:?}", operation.id);
            assert_eq!(operation.name[..1], pascal[..1].to_lowercase(), "{pascal}");
            assert_eq!(operation.name[1..], pascal[1..], "{pascal}");
        }
    }

    /// No request can match two operations: two templates with the same method differ in
    /// length or in a literal segment.
    #[test]
    fn templates_never_overlap() {
        for (index, first) in OPERATIONS.iter().enumerate() {
            for second in &OPERATIONS[index + 1..] {
                let (a, b): (Vec<&str>, Vec<&str>) = (segments(first.path).collect(), segments(second.path).collect());
                let overlap = a.len() == b.len()
                    && a.iter().zip(&b).all(|(x, y)| x == y || parameter(x).is_some() || parameter(y).is_some());
                assert!(!(overlap && first.method == second.method), "{:?} and {:?}", first.id, second.id);
                // Where two paths overlap they are one path: the same template.
                assert!(!overlap || a == b, "{:?} and {:?} overlap with different templates", first.id, second.id);
            }
        }
    }

    #[test]
    fn requests_find_their_operation() {
        let table = |name: &str| vec![("tableId", name.to_owned())];
        assert_eq!(found("GET", "/v1/tables/customers/records"), Ok((OperationId::ListRecords, table("customers"))));
        assert_eq!(found("POST", "/v1/tables/customers/records/"), Ok((OperationId::CreateRecord, table("customers"))));
        assert_eq!(
            found("GET", "/v1/tables/cust%6Fmers/records/abc"),
            Ok((OperationId::GetRecord, vec![("tableId", "customers".into()), ("id", "abc".into())]))
        );
        assert_eq!(
            found("POST", "/v1/tables/customers/records%3AbatchDelete"),
            Ok((OperationId::BatchDeleteRecords, table("customers")))
        );
        // A `+` in a path is a plus; only query strings read it as a space.
        assert_eq!(
            found("GET", "/v1/tables/a+b/records/c%2Bd"),
            Ok((OperationId::GetRecord, vec![("tableId", "a+b".into()), ("id", "c+d".into())]))
        );
        assert_eq!(
            found("POST", "/api/v1/invitations/abc/decline"),
            Ok((OperationId::DeclineInvitation, vec![("invitationId", "abc".into())]))
        );
        assert_eq!(found("GET", "/v1/openapi.json"), Ok((OperationId::GetOpenApi, vec![])));
        assert_eq!(found("GET", "/"), Err(ErrorCode::RouteNotFound));
        assert_eq!(found("GET", "/v1/tables/customers"), Err(ErrorCode::RouteNotFound));
        assert_eq!(found("GET", "/v1/tables/customers/records:nope"), Err(ErrorCode::RouteNotFound));
        assert_eq!(found("GET", "/public/views/x"), Err(ErrorCode::RouteNotFound));
        assert_eq!(found("GET", "/v1/tables/x/records/%zz"), Err(ErrorCode::InvalidQuery));
        // Management and records routes answer a wrong method alike.
        for (method, path, allowed) in [
            ("GET", "/v1/tables/customers/records:batchDelete", "POST"),
            ("PUT", "/v1/tables/customers/records/abc", "GET, PATCH, DELETE"),
            ("POST", "/public/views/x/data", "GET"),
            ("PATCH", "/api/v1/workspaces/abc/members", "GET, PUT"),
            ("GET", "/api/v1/auth/login", "POST"),
        ] {
            let error = find(method, path).expect_err(path);
            assert_eq!(error.code, ErrorCode::MethodNotAllowed, "{method} {path}");
            assert_eq!(error.details["allowed"], allowed, "{method} {path}");
        }
    }
}
