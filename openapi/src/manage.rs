//! The management API (`/api/v1/...`) in the OpenAPI document: accounts and sessions,
//! workspaces and members, bases, API tokens, and schema changes.
//!
//! Paths, bodies and limits come from [`shared::manage`] and [`shared::schema`]; the role
//! each operation needs comes from [`Role::can`], so the document states the permission
//! table the origin enforces.

use super::{Endpoint, errors, guard_errors, head, json_body, meaning, response, schema_ref};
use shared::api::OperationId;
use shared::error::ErrorCode;
use shared::manage::{Action, MAX_PASSWORD, MIN_PASSWORD, Role};
use shared::schema::{MAX_FIELDS, MAX_OPTIONS};
use shared::usage::MAX_WINDOW_SECONDS;
use serde_json::{Map, Value, json};

fn path_parameter(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string", "minLength": 1 },
            "description": description })
}

/// The path parameters of the management API, under `components.parameters`.
pub(super) fn parameters() -> Map<String, Value> {
    let mut parameters = Map::new();
    for (component, name, description) in [
        ("WorkspacePath", "workspaceId", "The workspace's id."),
        ("BasePath", "baseId", "The base's id."),
        ("UserPath", "userId", "The member's user id."),
        ("TokenPath", "tokenId", "The API token's id."),
        ("InvitationPath", "invitationId", "The invitation's id."),
        ("TablePath", "table", "The table's id or current name."),
        ("FieldPath", "field", "The field's id or current name."),
    ] {
        parameters.insert(component.to_owned(), path_parameter(name, description));
    }
    parameters.insert(
        "DryRun".to_owned(),
        json!({
            "name": "dry_run", "in": "query", "required": false, "schema": { "type": "boolean", "default": false },
            "description": "`true` plans the change against the current schema and returns the DDL it would run, \
                            without running or recording anything."
        }),
    );
    parameters
}

pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

/// The least role allowed to do `action`, for the descriptions.
fn least(action: Action) -> &'static str {
    [Role::Viewer, Role::Editor, Role::Admin, Role::Owner]
        .into_iter()
        .find(|role| role.can(action))
        .map_or("owner", Role::as_str)
}

pub(super) fn needs(action: Action) -> String {
    format!("Needs the `{}` role (or above) in the workspace.", least(action))
}

/// The errors every signed-in operation can answer with.
pub(super) fn session_errors(specific: &[(ErrorCode, &str)]) -> Vec<(ErrorCode, String)> {
    use ErrorCode::*;
    let mut list = errors(&[
        (AuthRequired, "No `Authorization: Bearer <access token>` header, or the account is gone."),
        (InvalidToken, "The access token is malformed, forged or expired (refresh it), or is an API token."),
        (Forbidden, meaning(Forbidden)),
        (NotFound, meaning(NotFound)),
        (PayloadTooLarge, "The body is over the deployment's cap (`details.max_bytes`)."),
        (InvalidQuery, "A query parameter this route does not take."),
    ]);
    list.extend(guard_errors());
    list.extend(errors(specific));
    list
}

pub(super) fn body_errors() -> [(ErrorCode, &'static str); 2] {
    [
        (ErrorCode::InvalidRequest, "The body is not JSON of the documented shape (unknown members are refused)."),
        (ErrorCode::UnsupportedMediaType, meaning(ErrorCode::UnsupportedMediaType)),
    ]
}

/// A management operation's documentation besides what [`shared::api`] declares.
pub(super) struct Operation {
    pub(super) id: OperationId,
    pub(super) description: String,
    pub(super) parameters: Vec<Value>,
    pub(super) body: Option<(&'static str, &'static str)>,
    pub(super) success: (u16, &'static str, &'static str),
    pub(super) errors: Vec<(ErrorCode, String)>,
}

impl Operation {
    pub(super) fn endpoint(self) -> Endpoint {
        let (status, description, schema) = self.success;
        Endpoint {
            head: head(self.id),
            description: self.description,
            parameters: self.parameters,
            body: self.body.map(|(schema, description)| json_body(schema.to_owned(), description)),
            responses: vec![(status, response(description, Some(schema_ref(schema)), &[]))],
            errors: self.errors,
        }
    }
}

pub(super) fn endpoints() -> Vec<Endpoint> {
    use ErrorCode::*;
    let public = |specific: &[(ErrorCode, &str)]| {
        let mut list = guard_errors();
        list.extend(errors(&body_errors()));
        list.extend(errors(specific));
        list
    };
    let with_body = |specific: &[(ErrorCode, &str)]| {
        let mut list = body_errors().to_vec();
        list.extend_from_slice(specific);
        session_errors(&list)
    };
    let workspace = || vec![reference("WorkspacePath")];
    let base = || vec![reference("BasePath")];
    let table = || vec![reference("BasePath"), reference("TablePath"), reference("DryRun")];
    let field = || vec![reference("BasePath"), reference("TablePath"), reference("FieldPath"), reference("DryRun")];
    let schema_errors = |specific: &[(ErrorCode, &str)]| {
        let mut list = body_errors().to_vec();
        list.extend_from_slice(&[
            (ValidationError, "A name, type, option or default is invalid; `details.field` names the member."),
            (TableNotFound, "No table by that id or current name in the base."),
            (ServiceUnavailable, "Another change of this base is running, or a table is busy; retry."),
        ]);
        list.extend_from_slice(specific);
        session_errors(&list)
    };
    let schema_change = |what: &str| {
        format!(
            "{what} Changes of one base run one at a time, each with its DDL in one transaction; the answer names \
             the `schema_op` recording it and the new catalog version, which edges pick up at once. With \
             `dry_run=true` the answer is the planned DDL instead (`SchemaPreview`). {}",
            needs(Action::AlterSchema)
        )
    };
    let name_taken = "The name is taken in the base (or table), or is a former name still in its grace period.";
    let operations = vec![
        Operation {
            id: OperationId::Register,
            description: "Creates a user, a tenant and a first workspace the user owns, and signs them in.".to_owned(),
            parameters: Vec::new(),
            body: Some(("Register", "The new account.")),
            success: (201, "The account and a session.", "Registered"),
            errors: public(&[
                (ValidationError, "The email, password or name is invalid; `details.field` names it."),
                (EmailTaken, meaning(EmailTaken)),
            ]),
        },
        Operation {
            id: OperationId::Login,
            description: "Trades an email and password for an access token and a refresh token.".to_owned(),
            parameters: Vec::new(),
            body: Some(("Login", "The credentials.")),
            success: (200, "A session.", "Session"),
            errors: public(&[
                (InvalidCredentials, meaning(InvalidCredentials)),
                (
                    RateLimited,
                    "Too many failed sign-ins for this email or from this address: after 5 for an email (20 for an \
                     address) each further one waits twice as long, 1 s up to 15 min (`Retry-After`, \
                     `details.retry_after_seconds`). The answer is the same whether or not the email has an account.",
                ),
            ]),
        },
        Operation {
            id: OperationId::Refresh,
            description: "Trades a refresh token for a new access token and a new refresh token. Each refresh token \
                          works once: presenting a used one revokes the whole session, as it means it was copied."
                .to_owned(),
            parameters: Vec::new(),
            body: Some(("RefreshRequest", "The refresh token.")),
            success: (200, "A new session.", "Session"),
            errors: public(&[(InvalidToken, "The refresh token is invalid, expired, revoked or was already used.")]),
        },
        Operation {
            id: OperationId::Logout,
            description: "Revokes the refresh token's session; its access tokens expire on their own.".to_owned(),
            parameters: Vec::new(),
            body: Some(("RefreshRequest", "The session's refresh token.")),
            success: (200, "Signed out.", "LoggedOut"),
            errors: public(&[(InvalidToken, "The refresh token is invalid.")]),
        },
        Operation {
            id: OperationId::Me,
            description: "The signed-in user and the workspaces they belong to, with their role in each.".to_owned(),
            parameters: Vec::new(),
            body: None,
            success: (200, "The user.", "Me"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::ListWorkspaces,
            description: "The workspaces the user belongs to, with their role in each.".to_owned(),
            parameters: Vec::new(),
            body: None,
            success: (200, "The workspaces.", "WorkspaceList"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::ListMembers,
            description: needs(Action::ReadData),
            parameters: workspace(),
            body: None,
            success: (200, "The members.", "MemberList"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::SetMember,
            description: format!(
                "Changes the role of the member with this email (200), or invites the email with the role (202): \
                 nobody becomes a member unasked, and the answer is the same whether or not the email has an \
                 account. The invitee accepts once signed in with that email; inviting again renews a pending \
                 invitation (14 days). {} Granting or taking the admin or owner role needs the `owner` role; a \
                 workspace keeps at least one owner.",
                needs(Action::ManageMembers)
            ),
            parameters: workspace(),
            body: Some(("MemberRequest", "Who, and their role.")),
            success: (200, "The member's new role.", "Member"),
            errors: with_body(&[(ValidationError, "The email or role is invalid, or the last owner would go.")]),
        },
        Operation {
            id: OperationId::RemoveMember,
            description: format!("{} Removing an admin or owner needs the `owner` role.", needs(Action::ManageMembers)),
            parameters: vec![reference("WorkspacePath"), reference("UserPath")],
            body: None,
            success: (200, "Removed.", "MemberRemoved"),
            errors: session_errors(&[(ValidationError, "The last owner cannot be removed.")]),
        },
        Operation {
            id: OperationId::ListInvitations,
            description: needs(Action::ManageMembers),
            parameters: workspace(),
            body: None,
            success: (200, "The pending, unexpired invitations, newest first.", "InvitationList"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::RevokeInvitation,
            description: format!(
                "{} Revoking an invitation to the admin or owner role needs the `owner` role.",
                needs(Action::ManageMembers)
            ),
            parameters: vec![reference("WorkspacePath"), reference("InvitationPath")],
            body: None,
            success: (200, "Revoked.", "InvitationAnswered"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::ListMyInvitations,
            description: "Pending invitations to the signed-in user's email, with who sent them.".to_owned(),
            parameters: Vec::new(),
            body: None,
            success: (200, "The invitations, newest first.", "MyInvitationList"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::AcceptInvitation,
            description: "Joins the workspace with the invited role (a member already keeps their role). Only the \
                          user whose email was invited can; to anyone else it is not found."
                .to_owned(),
            parameters: vec![reference("InvitationPath")],
            body: None,
            success: (200, "Accepted: the user is a member.", "InvitationAnswered"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::DeclineInvitation,
            description: "Closes the invitation without joining.".to_owned(),
            parameters: vec![reference("InvitationPath")],
            body: None,
            success: (200, "Declined.", "InvitationAnswered"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::ListBases,
            description: needs(Action::ReadData),
            parameters: workspace(),
            body: None,
            success: (200, "The bases.", "BaseList"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::CreateBase,
            description: format!(
                "Creates a base: its own Postgres schema and an empty catalog. {}",
                needs(Action::AlterSchema)
            ),
            parameters: workspace(),
            body: Some(("NameRequest", "The base's display name.")),
            success: (201, "The base.", "BaseSummary"),
            errors: with_body(&[
                (ValidationError, "The name is empty, too long or has control characters."),
                (PlanLimit, "The workspace has as many bases as its plan allows (`bases_per_workspace`)."),
            ]),
        },
        Operation {
            id: OperationId::GetBase,
            description: format!(
                "The base, its catalog version, and every table with its fields. {}",
                needs(Action::ReadData)
            ),
            parameters: base(),
            body: None,
            success: (200, "The base.", "Base"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::GetBaseReference,
            description: format!(
                "This API's OpenAPI document for the base, each table with its own typed schemas, as \
                 `/v1/meta/openapi.json` gives it to the base's API tokens; the docs page (`/docs/?base=<id>`) \
                 renders it. {}",
                needs(Action::ReadData)
            ),
            parameters: base(),
            body: None,
            success: (200, "The base's OpenAPI document.", "OpenApiDocument"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::DeleteBase,
            description: format!(
                "Hides the base: its API tokens and records stop answering at once; its data is kept. {}",
                needs(Action::AlterSchema)
            ),
            parameters: base(),
            body: None,
            success: (200, "Deleted.", "BaseDeleted"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::ListTokens,
            description: format!("Every token with its scopes and state; never a secret. {}", needs(Action::ShareApi)),
            parameters: base(),
            body: None,
            success: (200, "The tokens.", "TokenList"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::CreateToken,
            description: format!(
                "Creates a token of the base with the given scopes and optional expiry. The secret is in this answer \
                 only: it is stored as a hash. {}",
                needs(Action::ShareApi)
            ),
            parameters: base(),
            body: Some(("TokenRequest", "The token's name, scopes and expiry.")),
            success: (201, "The token, with its secret (shown once).", "CreatedToken"),
            errors: with_body(&[(
                ValidationError,
                "A scope is unknown, none is given, the expiry is not in the future, or `rate_limit` allows more \
                 than the tenant's plan (a token's own limit may only be lower; `details.max`).",
            )]),
        },
        Operation {
            id: OperationId::RevokeToken,
            description: format!(
                "The token stops working at the origin at once and at every edge within the token-cache TTL (at \
                 most 60 seconds). {}",
                needs(Action::ShareApi)
            ),
            parameters: vec![reference("BasePath"), reference("TokenPath")],
            body: None,
            success: (200, "Revoked.", "TokenRevoked"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::GetUsage,
            description: format!(
                "Requests served to the base this month against its quota, and per principal (`token:<id>`, \
                 `user:<id>`) and day for the last 31 days. Edges send what they meter every two seconds. {}",
                needs(Action::ShareApi)
            ),
            parameters: base(),
            body: None,
            success: (200, "The usage.", "UsageReport"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::SetQuota,
            description: format!(
                "The base's own quota of requests per calendar month (UTC), or `null` for its plan's. Over it, \
                 the edge answers 429 `QUOTA_EXCEEDED` until the month ends. {}",
                needs(Action::ManageBilling)
            ),
            parameters: base(),
            body: Some(("QuotaRequest", "The quota.")),
            success: (200, "The quota and this month's usage.", "QuotaSet"),
            errors: with_body(&[]),
        },
        Operation {
            id: OperationId::ListSchemaOps,
            description: format!(
                "The latest 200 schema changes, newest first: what was asked, the DDL, by whom and how it ended \
                 (`pending`, `applied` or `failed` with its error). {}",
                needs(Action::AlterSchema)
            ),
            parameters: base(),
            body: None,
            success: (200, "The operations.", "SchemaOpList"),
            errors: session_errors(&[]),
        },
        Operation {
            id: OperationId::CreateTable,
            description: schema_change("Creates a table with its initial fields."),
            parameters: vec![reference("BasePath"), reference("DryRun")],
            body: Some(("NewTable", "The table.")),
            success: (201, "The table.", "SchemaChangeResult"),
            errors: schema_errors(&[
                (
                    PlanLimit,
                    "The base has as many tables as its plan allows, or its catalog would pass the plan's size.",
                ),
                (NameTaken, name_taken),
            ]),
        },
        Operation {
            id: OperationId::RenameTable,
            description: schema_change(
                "Renames the table; the former name keeps working in the records API for the grace period (7 days \
                 unless configured) and stays reserved meanwhile.",
            ),
            parameters: table(),
            body: Some(("NameRequest", "The new name.")),
            success: (200, "The table.", "SchemaChangeResult"),
            errors: schema_errors(&[(NameTaken, name_taken)]),
        },
        Operation {
            id: OperationId::DropTable,
            description: schema_change("Hides the table from the records API at once; its data is kept."),
            parameters: table(),
            body: None,
            success: (200, "Dropped.", "SchemaChangeResult"),
            errors: schema_errors(&[]),
        },
        Operation {
            id: OperationId::AddField,
            description: schema_change(
                "Adds a field. A required field needs a default when the table has records: existing records get it.",
            ),
            parameters: vec![reference("BasePath"), reference("TablePath"), reference("DryRun")],
            body: Some(("NewField", "The field.")),
            success: (201, "The field.", "SchemaChangeResult"),
            errors: schema_errors(&[
                (
                    PlanLimit,
                    "The table has as many fields as its plan allows, or the catalog would pass the plan's size.",
                ),
                (NameTaken, name_taken),
                (SchemaConflict, "Required without a default while records exist (`empty_values`)."),
            ]),
        },
        Operation {
            id: OperationId::UpdateField,
            description: schema_change(
                "Changes any of name, type, required, unique, default and options. A rename keeps the former name \
                 working during the grace period. Only safe type changes apply (text → long_text, long_text → text, \
                 email/url/single_select → text or long_text, date → datetime at midnight UTC); any other is refused \
                 with the create-copy-swap path to follow instead.",
            ),
            parameters: field(),
            body: Some(("FieldPatch", "What to change; absent members stay as they are.")),
            success: (200, "The field as it is now.", "SchemaChangeResult"),
            errors: schema_errors(&[
                (PlanLimit, "The catalog would pass the plan's size (`catalog_bytes`)."),
                (NameTaken, name_taken),
                (NotFound, "No field by that id or current name in the table."),
                (InvalidRequest, "Nothing to change, or the field already is as asked."),
                (UnsafeTypeChange, meaning(UnsafeTypeChange)),
                (
                    SchemaConflict,
                    "Records prevent the change: duplicates for `unique` (`duplicate_values`), empty values for \
                     `required` (`empty_values`).",
                ),
            ]),
        },
        Operation {
            id: OperationId::DropField,
            description: schema_change(
                "Hides the field and refuses writes to it at once; its column and data are kept.",
            ),
            parameters: field(),
            body: None,
            success: (200, "Dropped.", "SchemaChangeResult"),
            errors: schema_errors(&[(NotFound, "No field by that id or current name in the table.")]),
        },
    ];
    let mut endpoints: Vec<Endpoint> = operations.into_iter().map(Operation::endpoint).collect();
    if let Some(set_member) = endpoints.iter_mut().find(|endpoint| endpoint.head.operation.id == OperationId::SetMember)
    {
        let invited = response("Invited: not a member until they accept.", Some(schema_ref("InvitationCreated")), &[]);
        set_member.responses.push((202, invited));
    }
    endpoints
}

/// The bodies and answers of the management API.
pub(super) fn schemas() -> Map<String, Value> {
    let uuid = json!({ "type": "string", "format": "uuid" });
    let timestamp = json!({ "type": "string" });
    let role = json!({ "type": "string", "enum": ["owner", "admin", "editor", "viewer"] });
    let object = |required: &[&str], properties: Value| json!({ "type": "object", "required": required, "properties": properties });
    let list = |item: &str| object(&["data"], json!({ "data": { "type": "array", "items": schema_ref(item) } }));
    let name = json!({ "type": "string", "minLength": 1, "maxLength": 100 });
    let mut schemas = Map::new();
    let mut add = |name: &str, schema: Value| {
        schemas.insert(name.to_owned(), schema);
    };
    let password = json!({ "type": "string", "minLength": MIN_PASSWORD, "maxLength": MAX_PASSWORD });
    add(
        "Register",
        object(
            &["email", "password", "name"],
            json!({ "email": { "type": "string", "format": "email" }, "password": password, "name": name }),
        ),
    );
    add(
        "Login",
        object(&["email", "password"], json!({ "email": { "type": "string" }, "password": { "type": "string" } })),
    );
    add("RefreshRequest", object(&["refresh_token"], json!({ "refresh_token": { "type": "string" } })));
    add(
        "Session",
        object(
            &["access_token", "token_type", "expires_in", "refresh_token"],
            json!({
                "access_token": { "type": "string", "description": "A JWT; send it as `Authorization: Bearer <token>`." },
                "token_type": { "const": "Bearer" },
                "expires_in": { "type": "integer", "description": "Seconds the access token is valid." },
                "refresh_token": { "type": "string", "description": "Works once, for `/api/v1/auth/refresh`." }
            }),
        ),
    );
    let user = object(
        &["id", "email", "name"],
        json!({ "id": uuid, "email": { "type": "string" }, "name": { "type": "string" } }),
    );
    add(
        "Registered",
        object(
            &["user", "workspace_id", "session"],
            json!({ "user": user, "workspace_id": uuid, "session": schema_ref("Session") }),
        ),
    );
    add("LoggedOut", object(&["logged_out"], json!({ "logged_out": { "const": true } })));
    add(
        "Workspace",
        object(&["id", "name", "role"], json!({ "id": uuid, "name": { "type": "string" }, "role": role })),
    );
    add(
        "Me",
        object(
            &["id", "email", "name", "workspaces"],
            json!({ "id": uuid, "email": { "type": "string" }, "name": { "type": "string" },
                    "workspaces": { "type": "array", "items": schema_ref("Workspace") } }),
        ),
    );
    add("WorkspaceList", list("Workspace"));
    add(
        "Member",
        object(
            &["user_id", "email", "role"],
            json!({ "user_id": uuid, "email": { "type": "string" }, "name": { "type": "string" }, "role": role, "workspace_id": uuid }),
        ),
    );
    add("MemberList", list("Member"));
    add("MemberRequest", object(&["email", "role"], json!({ "email": { "type": "string" }, "role": role })));
    let invitation_status = json!({ "type": "string", "enum": ["pending", "accepted", "declined", "revoked"] });
    add(
        "Invitation",
        object(
            &["id", "workspace_id", "email", "role", "status", "created_at", "expires_at"],
            json!({ "id": uuid, "workspace_id": uuid, "email": { "type": "string" }, "role": role,
                    "status": invitation_status, "invited_by": uuid, "created_at": timestamp,
                    "expires_at": timestamp }),
        ),
    );
    add("InvitationList", list("Invitation"));
    add("InvitationCreated", object(&["invitation"], json!({ "invitation": schema_ref("Invitation") })));
    add(
        "MyInvitation",
        object(
            &["id", "workspace_id", "workspace_name", "role", "status", "invited_by", "created_at", "expires_at"],
            json!({ "id": uuid, "workspace_id": uuid, "workspace_name": { "type": "string" }, "role": role,
                    "status": invitation_status,
                    "invited_by": object(&["name", "email"], json!({ "name": { "type": "string" },
                                                                     "email": { "type": "string" } })),
                    "created_at": timestamp, "expires_at": timestamp }),
        ),
    );
    add("MyInvitationList", list("MyInvitation"));
    add(
        "InvitationAnswered",
        object(
            &["id", "status"],
            json!({ "id": uuid, "workspace_id": uuid, "status": invitation_status, "role": role }),
        ),
    );
    add("MemberRemoved", object(&["removed", "user_id"], json!({ "removed": { "const": true }, "user_id": uuid })));
    add("NameRequest", object(&["name"], json!({ "name": { "type": "string", "minLength": 1 } })));
    add(
        "BaseSummary",
        object(
            &["id", "name"],
            json!({ "id": uuid, "name": { "type": "string" }, "workspace_id": uuid, "created_at": timestamp }),
        ),
    );
    add("BaseList", list("BaseSummary"));
    add(
        "Base",
        object(
            &["id", "name", "catalog_version", "tables"],
            json!({ "id": uuid, "name": { "type": "string" }, "workspace_id": { "type": ["string", "null"] },
                    "created_at": timestamp, "catalog_version": { "type": "integer" },
                    "tables": { "type": "array", "items": schema_ref("Table") } }),
        ),
    );
    add("BaseDeleted", object(&["id", "deleted"], json!({ "id": uuid, "deleted": { "const": true } })));
    let scopes = json!({ "type": "array", "items": { "type": "string", "enum": ["read", "write", "delete"] } });
    let rate_limit = object(
        &["requests", "window_seconds"],
        json!({ "requests": { "type": "integer", "minimum": 1 },
                "window_seconds": { "type": "integer", "minimum": 1, "maximum": MAX_WINDOW_SECONDS } }),
    );
    add(
        "TokenRequest",
        object(
            &["name", "scopes"],
            json!({ "name": name, "scopes": scopes, "expires_at": { "type": ["string", "null"], "format": "date-time" },
                    "rate_limit": {
                        "description": "The token's own limit: requests per sliding window (default: its plan's, \
                                        600 per 60 s).",
                        "oneOf": [rate_limit, { "type": "null" }]
                    } }),
        ),
    );
    let quota = object(
        &["monthly_limit", "used", "resets_at_ms"],
        json!({ "monthly_limit": { "type": ["integer", "null"], "description": "Null: unlimited." },
                "used": { "type": "integer", "description": "Requests recorded this month." },
                "resets_at_ms": { "type": "integer", "description": "When the month ends, Unix milliseconds." } }),
    );
    add(
        "UsageReport",
        object(
            &["base_id", "quota", "days"],
            json!({ "base_id": uuid, "quota": quota,
                    "days": { "type": "array", "items": object(&["day", "principal", "api_calls"], json!({
                        "day": { "type": "string", "format": "date" }, "principal": { "type": "string" },
                        "api_calls": { "type": "integer" } })) } }),
        ),
    );
    add(
        "QuotaRequest",
        object(
            &["monthly_request_quota"],
            json!({ "monthly_request_quota": { "type": ["integer", "null"], "minimum": 0 } }),
        ),
    );
    add(
        "QuotaSet",
        object(
            &["base_id", "monthly_request_quota", "quota"],
            json!({ "base_id": uuid, "monthly_request_quota": { "type": ["integer", "null"] }, "quota": quota }),
        ),
    );
    add(
        "TokenInfo",
        object(
            &["id", "name", "scopes"],
            json!({ "id": uuid, "name": { "type": "string" }, "scopes": scopes, "created_at": timestamp,
                    "expires_at": { "type": ["string", "null"] }, "revoked_at": { "type": ["string", "null"] } }),
        ),
    );
    add("TokenList", list("TokenInfo"));
    add(
        "CreatedToken",
        object(
            &["id", "name", "base_id", "scopes", "token"],
            json!({ "id": uuid, "name": { "type": "string" }, "base_id": uuid, "scopes": scopes,
                    "expires_at": { "type": ["string", "null"] },
                    "token": { "type": "string", "description": "`nc_<id>_<secret>`: shown in this answer only." } }),
        ),
    );
    add("TokenRevoked", object(&["id", "revoked"], json!({ "id": uuid, "revoked": { "const": true } })));
    let field_name = json!({ "type": "string", "pattern": "^[a-z][a-z0-9_]{0,62}$",
                             "description": "Lowercase letters, digits and `_`, starting with a letter; not `id`, \
                                             `created_at`, `updated_at` or `version`." });
    let options = json!({ "type": "array", "items": { "type": "string", "minLength": 1, "maxLength": 100 },
                          "maxItems": MAX_OPTIONS, "description": "The choices of a single or multi select." });
    add(
        "NewField",
        json!({
            "type": "object", "required": ["name", "type"], "additionalProperties": false,
            "properties": {
                "name": field_name, "type": schema_ref("FieldType"),
                "required": { "type": "boolean", "default": false },
                "unique": { "type": "boolean", "default": false, "description": "Backed by a unique index." },
                "default": { "description": "A valid value of the field, given to records that leave it out." },
                "options": options
            }
        }),
    );
    add(
        "NewTable",
        json!({
            "type": "object", "required": ["name"], "additionalProperties": false,
            "properties": {
                "name": field_name,
                "fields": { "type": "array", "items": schema_ref("NewField"), "maxItems": MAX_FIELDS }
            }
        }),
    );
    add(
        "FieldPatch",
        json!({
            "type": "object", "additionalProperties": false, "minProperties": 1,
            "properties": {
                "name": field_name, "type": schema_ref("FieldType"),
                "required": { "type": "boolean" }, "unique": { "type": "boolean" },
                "default": { "description": "The new default; `null` removes it." },
                "options": options
            }
        }),
    );
    add(
        "SchemaChangeResult",
        json!({
            "description": "The table or field after the change (a `SchemaPreview` with `dry_run=true`).",
            "type": "object",
            "properties": {
                "base_id": uuid, "table_id": uuid,
                "table": { "type": "object" }, "field": { "type": "object" },
                "catalog_version": { "type": "integer" },
                "schema_op": object(&["id", "status"], json!({ "id": uuid, "status": { "const": "applied" } })),
                "dry_run": { "type": "boolean", "description": "`true` on a preview; absent when the change was applied." },
                "steps": {
                    "type": "array",
                    "items": object(&["sql", "params"], json!({
                        "sql": { "type": "string" },
                        "params": { "type": "array", "items": { "type": ["string", "null"] } }
                    }))
                },
                "change": { "type": "object", "description": "The catalog change the DDL commits with." }
            }
        }),
    );
    add(
        "SchemaOp",
        object(
            &["id", "kind", "status", "actor", "created_at"],
            json!({ "id": uuid, "kind": { "type": "string" },
                    "status": { "type": "string", "enum": ["pending", "applied", "failed"] },
                    "actor": { "type": "string", "description": "`user:<id>` or `operator`." },
                    "error": { "type": ["string", "null"] }, "request": { "type": "object" },
                    "steps": { "type": "array", "items": { "type": "object" } }, "created_at": timestamp,
                    "finished_at": { "type": ["string", "null"] } }),
        ),
    );
    add("SchemaOpList", list("SchemaOp"));
    schemas
}
