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
}

/// Where an operation is listed in the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Records,
    Meta,
    Views,
    Accounts,
    Workspaces,
    Bases,
    Tokens,
    Schema,
}

impl Tag {
    pub const ALL: [Tag; 8] =
        [Tag::Records, Tag::Meta, Tag::Views, Tag::Accounts, Tag::Workspaces, Tag::Bases, Tag::Tokens, Tag::Schema];

    pub fn as_str(self) -> &'static str {
        match self {
            Tag::Records => "Records",
            Tag::Meta => "Meta",
            Tag::Views => "Views",
            Tag::Accounts => "Accounts",
            Tag::Workspaces => "Workspaces",
            Tag::Bases => "Bases",
            Tag::Tokens => "API tokens",
            Tag::Schema => "Schema",
        }
    }
}

/// One operation of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

macro_rules! operations {
    ($($id:ident $name:literal: $method:ident $path:literal, $tag:ident, $caller:expr, $summary:literal;)*) => {
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
            },)*
        ];
    };
}

use Action::{AlterSchema, EditViews, ManageBilling, ManageMembers, ReadData, ShareApi};
use Caller::{Anonymous, Anyone, Member, SignedIn, Token, View};

operations! {
    ListRecords "listRecords": Get "/v1/tables/{tableId}/records", Records, Token(Scope::Read), "List records";
    CreateRecord "createRecord": Post "/v1/tables/{tableId}/records", Records, Token(Scope::Write), "Create a record";
    DeleteRecords "deleteRecords": Delete "/v1/tables/{tableId}/records", Records, Token(Scope::Delete),
        "Delete records by ids or by filter";
    GetRecord "getRecord": Get "/v1/tables/{tableId}/records/{id}", Records, Token(Scope::Read), "Get a record";
    UpdateRecord "updateRecord": Patch "/v1/tables/{tableId}/records/{id}", Records, Token(Scope::Write),
        "Update a record";
    DeleteRecord "deleteRecord": Delete "/v1/tables/{tableId}/records/{id}", Records, Token(Scope::Delete),
        "Delete a record";
    BatchUpsertRecords "batchUpsertRecords": Post "/v1/tables/{tableId}/records:batchUpsert", Records,
        Token(Scope::Write), "Insert or update records in one batch";
    BatchDeleteRecords "batchDeleteRecords": Post "/v1/tables/{tableId}/records:batchDelete", Records,
        Token(Scope::Delete), "Delete records by id in one batch, all or none";
    GetOpenApi "getOpenApi": Get "/v1/openapi.json", Meta, Anyone, "This document";
    GetBaseOpenApi "getBaseOpenApi": Get "/v1/meta/openapi.json", Meta, Token(Scope::Read),
        "This document for the token's base, typed per table";
    ListTables "listTables": Get "/v1/meta/tables", Meta, Token(Scope::Read), "List the tables of the token's base";
    GetTable "getTable": Get "/v1/meta/tables/{tableId}", Meta, Token(Scope::Read), "Get one table's schema";
    GetViewData "getViewData": Get "/public/views/{slug}/data", Views, View, "A published view's records";
    GetViewMeta "getViewMeta": Get "/public/views/{slug}/meta", Views, View, "How to call a published view";

    Register "register": Post "/api/v1/auth/register", Accounts, Anonymous, "Create an account";
    Login "login": Post "/api/v1/auth/login", Accounts, Anonymous, "Sign in";
    Refresh "refresh": Post "/api/v1/auth/refresh", Accounts, Anonymous, "Refresh a session";
    Logout "logout": Post "/api/v1/auth/logout", Accounts, Anonymous, "Sign out";
    Me "me": Get "/api/v1/auth/me", Accounts, SignedIn, "Who am I";
    ListMyInvitations "listMyInvitations": Get "/api/v1/invitations", Accounts, SignedIn,
        "List the invitations waiting for me";
    AcceptInvitation "acceptInvitation": Post "/api/v1/invitations/{invitationId}/accept", Accounts, SignedIn,
        "Accept an invitation";
    DeclineInvitation "declineInvitation": Post "/api/v1/invitations/{invitationId}/decline", Accounts, SignedIn,
        "Decline an invitation";
    ListWorkspaces "listWorkspaces": Get "/api/v1/workspaces", Workspaces, SignedIn, "List my workspaces";
    ListMembers "listMembers": Get "/api/v1/workspaces/{workspaceId}/members", Workspaces, Member(ReadData),
        "List a workspace's members";
    SetMember "setMember": Put "/api/v1/workspaces/{workspaceId}/members", Workspaces, Member(ManageMembers),
        "Invite someone or change a member's role";
    RemoveMember "removeMember": Delete "/api/v1/workspaces/{workspaceId}/members/{userId}", Workspaces,
        Member(ManageMembers), "Remove a member";
    ListInvitations "listInvitations": Get "/api/v1/workspaces/{workspaceId}/invitations", Workspaces,
        Member(ManageMembers), "List a workspace's pending invitations";
    RevokeInvitation "revokeInvitation": Delete "/api/v1/workspaces/{workspaceId}/invitations/{invitationId}",
        Workspaces, Member(ManageMembers), "Revoke an invitation";
    ListBases "listBases": Get "/api/v1/workspaces/{workspaceId}/bases", Bases, Member(ReadData),
        "List a workspace's bases";
    CreateBase "createBase": Post "/api/v1/workspaces/{workspaceId}/bases", Bases, Member(AlterSchema),
        "Create a base";
    GetBase "getBase": Get "/api/v1/bases/{baseId}", Bases, Member(ReadData), "Get a base with its tables";
    GetBaseReference "getBaseReference": Get "/api/v1/bases/{baseId}/openapi.json", Bases, Member(ReadData),
        "A base's own OpenAPI document, typed per table";
    DeleteBase "deleteBase": Delete "/api/v1/bases/{baseId}", Bases, Member(AlterSchema), "Delete a base (soft)";
    GetUsage "getUsage": Get "/api/v1/bases/{baseId}/usage", Bases, Member(ShareApi), "Get a base's metered usage";
    SetQuota "setQuota": Put "/api/v1/bases/{baseId}/quota", Bases, Member(ManageBilling),
        "Set a base's monthly request quota";
    ListChanges "listChanges": Get "/api/v1/bases/{baseId}/changes", Bases, Member(ShareApi),
        "Read the base's change log";
    ListTokens "listTokens": Get "/api/v1/bases/{baseId}/tokens", Tokens, Member(ShareApi), "List a base's API tokens";
    CreateToken "createToken": Post "/api/v1/bases/{baseId}/tokens", Tokens, Member(ShareApi), "Create an API token";
    RevokeToken "revokeToken": Delete "/api/v1/bases/{baseId}/tokens/{tokenId}", Tokens, Member(ShareApi),
        "Revoke an API token";
    ListSchemaOps "listSchemaOps": Get "/api/v1/bases/{baseId}/schema-ops", Schema, Member(AlterSchema),
        "List a base's schema operations";
    CreateTable "createTable": Post "/api/v1/bases/{baseId}/tables", Schema, Member(AlterSchema), "Create a table";
    RenameTable "renameTable": Patch "/api/v1/bases/{baseId}/tables/{table}", Schema, Member(AlterSchema),
        "Rename a table";
    DropTable "dropTable": Delete "/api/v1/bases/{baseId}/tables/{table}", Schema, Member(AlterSchema),
        "Drop a table (soft)";
    AddField "addField": Post "/api/v1/bases/{baseId}/tables/{table}/fields", Schema, Member(AlterSchema),
        "Add a field";
    UpdateField "updateField": Patch "/api/v1/bases/{baseId}/tables/{table}/fields/{field}", Schema,
        Member(AlterSchema), "Rename, retype or reconfigure a field";
    DropField "dropField": Delete "/api/v1/bases/{baseId}/tables/{table}/fields/{field}", Schema,
        Member(AlterSchema), "Drop a field (soft)";
    ListViews "listViews": Get "/api/v1/bases/{baseId}/views", Views, Member(ReadData), "List a base's views";
    CreateView "createView": Post "/api/v1/bases/{baseId}/views", Views, Member(EditViews), "Create a view";
    GetView "getView": Get "/api/v1/bases/{baseId}/views/{view}", Views, Member(ReadData),
        "Get a view with its versions";
    UpdateView "updateView": Put "/api/v1/bases/{baseId}/views/{view}", Views, Member(EditViews),
        "Update a view (a new version)";
    DeleteView "deleteView": Delete "/api/v1/bases/{baseId}/views/{view}", Views, Member(EditViews), "Delete a view";
    RollbackView "rollbackView": Post "/api/v1/bases/{baseId}/views/{view}/rollback", Views, Member(EditViews),
        "Make an earlier version active again";
    PublishView "publishView": Put "/api/v1/bases/{baseId}/views/{view}/publish", Views, Member(ShareApi),
        "Publish or unpublish a view";
    CreateViewKey "createViewKey": Post "/api/v1/bases/{baseId}/views/{view}/keys", Views, Member(ShareApi),
        "Create a view key";
    RevokeViewKey "revokeViewKey": Delete "/api/v1/bases/{baseId}/views/{view}/keys/{keyId}", Views,
        Member(ShareApi), "Revoke a view key";
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
    for operation in OPERATIONS {
        let template: Vec<&str> = segments(operation.path).collect();
        if template.len() != decoded.len() {
            continue;
        }
        let mut params = Vec::new();
        let fits = template.iter().zip(&decoded).all(|(part, segment)| match parameter(part) {
            Some(name) => {
                params.push((name, segment.clone()));
                true
            }
            None => part == segment,
        });
        if !fits {
            continue;
        }
        if operation.method.as_str() == method {
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
