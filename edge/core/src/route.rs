//! Routing: method and path to a [`Route`] through the API's declaration
//! ([`shared::api::find`]), or the error that answers it (404, or 405 naming the methods).

use shared::api::{Caller, Operation, OperationId, Params};
use shared::error::ApiError;
use shared::token::Scope;

#[derive(Debug, PartialEq)]
pub enum Route {
    /// `GET /v1/openapi.json`, the one route that needs no token.
    OpenApi,
    /// Read-only schema of the token's base, answered from the edge's catalog.
    Meta(Meta),
    Records(Records),
    /// `GET /public/views/{slug}/data` (or `/meta`, `/events`): a published view.
    View {
        slug: String,
        part: ViewPart,
    },
    /// Uploads and jobs (`/v1/files…`, `/v1/jobs/…`, a table's `import:csv` and `export:csv`).
    Bulk(Bulk),
    /// `/api/v1/...`: the management API, parsed into a command by [`crate::management`].
    Manage(&'static Operation, Params),
}

/// What of a published view a request asks for.
#[derive(Debug, PartialEq)]
pub enum ViewPart {
    Data,
    Meta,
    Events,
}

#[derive(Debug, PartialEq)]
pub enum Bulk {
    SignUpload,
    Import {
        table: String,
    },
    Export {
        table: String,
    },
    GetJob {
        job: String,
    },
    CancelJob {
        job: String,
    },
    /// `GET /v1/jobs/{jobId}/events`: the one route answered with a stream.
    WatchJob {
        job: String,
    },
}

impl Bulk {
    pub fn id(&self) -> OperationId {
        match self {
            Bulk::SignUpload => OperationId::SignUpload,
            Bulk::Import { .. } => OperationId::ImportCsv,
            Bulk::Export { .. } => OperationId::ExportCsv,
            Bulk::GetJob { .. } => OperationId::GetJob,
            Bulk::CancelJob { .. } => OperationId::CancelJob,
            Bulk::WatchJob { .. } => OperationId::WatchJob,
        }
    }

    pub fn scope(&self) -> Scope {
        match self.id().operation().caller {
            Caller::Token(scope) => scope,
            caller => unreachable!("bulk operations take tokens, not {caller:?}"),
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum Meta {
    /// `GET /v1/meta/tables`
    Tables,
    /// `GET /v1/meta/tables/{tableId}`
    Table { table: String },
    /// `GET /v1/meta/openapi.json`: the API of this base, with each table's fields as typed schemas.
    OpenApi,
}

/// The authenticated records routes (`Validate`: a create checked at the edge, never sent).
#[derive(Debug, PartialEq)]
pub enum Records {
    List {
        table: String,
    },
    Create {
        table: String,
    },
    DeleteMany {
        table: String,
    },
    Get {
        table: String,
        id: String,
    },
    Update {
        table: String,
        id: String,
    },
    Delete {
        table: String,
        id: String,
    },
    BatchUpsert {
        table: String,
    },
    BatchDelete {
        table: String,
    },
    Validate {
        table: String,
    },
    /// `GET /v1/tables/{tableId}/events`: answered with a stream; or its long-poll form,
    /// `events:poll`, answered with the changes after a position once there are some.
    Watch {
        table: String,
        poll: bool,
    },
}

impl Records {
    fn id(&self) -> OperationId {
        match self {
            Records::List { .. } => OperationId::ListRecords,
            Records::Create { .. } => OperationId::CreateRecord,
            Records::DeleteMany { .. } => OperationId::DeleteRecords,
            Records::Get { .. } => OperationId::GetRecord,
            Records::Update { .. } => OperationId::UpdateRecord,
            Records::Delete { .. } => OperationId::DeleteRecord,
            Records::BatchUpsert { .. } => OperationId::BatchUpsertRecords,
            Records::BatchDelete { .. } => OperationId::BatchDeleteRecords,
            Records::Validate { .. } => OperationId::ValidateRecord,
            Records::Watch { poll: false, .. } => OperationId::WatchRecords,
            Records::Watch { poll: true, .. } => OperationId::PollRecords,
        }
    }

    /// The `{tableId}` path segment: a table UUID or system name.
    pub fn table(&self) -> &str {
        match self {
            Records::List { table }
            | Records::Create { table }
            | Records::DeleteMany { table }
            | Records::Get { table, .. }
            | Records::Update { table, .. }
            | Records::Delete { table, .. }
            | Records::BatchUpsert { table }
            | Records::BatchDelete { table }
            | Records::Validate { table }
            | Records::Watch { table, .. } => table,
        }
    }

    /// The scope the declaration asks of the caller.
    pub fn scope(&self) -> Scope {
        match self.id().operation().caller {
            Caller::Token(scope) => scope,
            caller => unreachable!("records operations take tokens, not {caller:?}"),
        }
    }

    /// Whether the route changes data (idempotency keys apply).
    pub fn is_write(&self) -> bool {
        self.scope() != Scope::Read
    }

    /// Whether the route takes a JSON body.
    pub fn has_body(&self) -> bool {
        matches!(
            self,
            Records::Create { .. }
                | Records::Update { .. }
                | Records::BatchUpsert { .. }
                | Records::BatchDelete { .. }
                | Records::Validate { .. }
        )
    }
}

pub fn parse(method: &str, path: &str) -> Result<Route, ApiError> {
    use OperationId as Id;
    let (operation, params) = shared::api::find(method, path)?;
    let table = || params.get("tableId").to_owned();
    let id = || params.get("id").to_owned();
    let route = match operation.id {
        Id::GetOpenApi => Route::OpenApi,
        Id::GetBaseOpenApi => Route::Meta(Meta::OpenApi),
        Id::ListTables => Route::Meta(Meta::Tables),
        Id::GetTable => Route::Meta(Meta::Table { table: table() }),
        Id::GetViewData => Route::View { slug: params.get("slug").to_owned(), part: ViewPart::Data },
        Id::GetViewMeta => Route::View { slug: params.get("slug").to_owned(), part: ViewPart::Meta },
        Id::WatchView => Route::View { slug: params.get("slug").to_owned(), part: ViewPart::Events },
        Id::ListRecords => Route::Records(Records::List { table: table() }),
        Id::CreateRecord => Route::Records(Records::Create { table: table() }),
        Id::DeleteRecords => Route::Records(Records::DeleteMany { table: table() }),
        Id::GetRecord => Route::Records(Records::Get { table: table(), id: id() }),
        Id::UpdateRecord => Route::Records(Records::Update { table: table(), id: id() }),
        Id::DeleteRecord => Route::Records(Records::Delete { table: table(), id: id() }),
        Id::BatchUpsertRecords => Route::Records(Records::BatchUpsert { table: table() }),
        Id::BatchDeleteRecords => Route::Records(Records::BatchDelete { table: table() }),
        Id::ValidateRecord => Route::Records(Records::Validate { table: table() }),
        Id::WatchRecords => Route::Records(Records::Watch { table: table(), poll: false }),
        Id::PollRecords => Route::Records(Records::Watch { table: table(), poll: true }),
        Id::SignUpload => Route::Bulk(Bulk::SignUpload),
        Id::ImportCsv => Route::Bulk(Bulk::Import { table: table() }),
        Id::ExportCsv => Route::Bulk(Bulk::Export { table: table() }),
        Id::GetJob => Route::Bulk(Bulk::GetJob { job: params.get("jobId").to_owned() }),
        Id::CancelJob => Route::Bulk(Bulk::CancelJob { job: params.get("jobId").to_owned() }),
        Id::WatchJob => Route::Bulk(Bulk::WatchJob { job: params.get("jobId").to_owned() }),
        _ => Route::Manage(operation, params),
    };
    Ok(route)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::error::ErrorCode;

    fn route(method: &str, uri: &str) -> Result<Route, ErrorCode> {
        parse(method, uri).map_err(|error| error.code)
    }

    fn records(route: Records) -> Result<Route, ErrorCode> {
        Ok(Route::Records(route))
    }

    #[test]
    fn routes() {
        let table = || "customers".to_owned();
        assert_eq!(route("GET", "/v1/tables/customers/records"), records(Records::List { table: table() }));
        assert_eq!(route("POST", "/v1/tables/customers/records/"), records(Records::Create { table: table() }));
        assert_eq!(route("DELETE", "/v1/tables/customers/records"), records(Records::DeleteMany { table: table() }));
        assert_eq!(
            route("GET", "/v1/tables/cust%6Fmers/records/abc"),
            records(Records::Get { table: table(), id: "abc".into() })
        );
        assert_eq!(
            route("PATCH", "/v1/tables/customers/records/abc"),
            records(Records::Update { table: table(), id: "abc".into() })
        );
        assert_eq!(
            route("DELETE", "/v1/tables/customers/records/abc"),
            records(Records::Delete { table: table(), id: "abc".into() })
        );
        assert_eq!(
            route("POST", "/v1/tables/customers/records:batchUpsert"),
            records(Records::BatchUpsert { table: table() })
        );
        assert_eq!(
            route("POST", "/v1/tables/customers/records%3AbatchDelete"),
            records(Records::BatchDelete { table: table() })
        );
        assert_eq!(route("GET", "/v1/tables/customers/records:batchDelete"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route("PUT", "/v1/tables/customers/records/abc"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(
            route("GET", "/v1/tables/customers/events"),
            records(Records::Watch { table: table(), poll: false })
        );
        assert_eq!(
            route("GET", "/v1/tables/customers/events:poll"),
            records(Records::Watch { table: table(), poll: true })
        );
        assert_eq!(route("GET", "/v1/tables/customers"), Err(ErrorCode::RouteNotFound));
        assert_eq!(route("GET", "/v1/tables/customers/records:nope"), Err(ErrorCode::RouteNotFound));
        assert_eq!(route("GET", "/v1/openapi.json"), Ok(Route::OpenApi));
        assert_eq!(route("GET", "/v1/meta/tables"), Ok(Route::Meta(Meta::Tables)));
        assert_eq!(route("GET", "/v1/meta/tables/customers"), Ok(Route::Meta(Meta::Table { table: table() })));
        assert_eq!(route("GET", "/v1/meta/openapi.json"), Ok(Route::Meta(Meta::OpenApi)));
        assert_eq!(route("GET", "/"), Err(ErrorCode::RouteNotFound));
        assert_eq!(
            route("GET", "/public/views/top-customers/data"),
            Ok(Route::View { slug: "top-customers".into(), part: ViewPart::Data })
        );
        assert_eq!(
            route("GET", "/public/views/top-customers/meta"),
            Ok(Route::View { slug: "top-customers".into(), part: ViewPart::Meta })
        );
        assert_eq!(
            route("GET", "/public/views/top-customers/events"),
            Ok(Route::View { slug: "top-customers".into(), part: ViewPart::Events })
        );
        assert_eq!(route("POST", "/public/views/x/data"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route("GET", "/public/views/x"), Err(ErrorCode::RouteNotFound));
        // A `+` in a path is a plus; only query strings read it as a space.
        assert_eq!(
            route("GET", "/v1/tables/a+b/records/c%2Bd"),
            records(Records::Get { table: "a+b".into(), id: "c+d".into() })
        );
    }
}
