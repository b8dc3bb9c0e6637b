//! Routing: method and path to a [`Route`], or the error that answers it.

use http::Method;
use shared::error::{ApiError, ErrorCode};
use shared::token::Scope;

#[derive(Debug, PartialEq)]
pub enum Route {
    /// `GET /v1/openapi.json`, the one route that needs no token.
    OpenApi,
    /// Read-only schema of the token's base, answered from the edge's catalog.
    Meta(Meta),
    Records(Records),
    /// `GET /public/views/{slug}/data` (or `/meta`): a published view.
    View {
        slug: String,
        meta: bool,
    },
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

/// The authenticated records routes.
#[derive(Debug, PartialEq)]
pub enum Records {
    List { table: String },
    Create { table: String },
    DeleteMany { table: String },
    Get { table: String, id: String },
    Update { table: String, id: String },
    Delete { table: String, id: String },
    BatchUpsert { table: String },
    BatchDelete { table: String },
}

impl Records {
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
            | Records::BatchDelete { table } => table,
        }
    }

    pub fn scope(&self) -> Scope {
        match self {
            Records::List { .. } | Records::Get { .. } => Scope::Read,
            Records::Create { .. } | Records::Update { .. } | Records::BatchUpsert { .. } => Scope::Write,
            Records::DeleteMany { .. } | Records::Delete { .. } | Records::BatchDelete { .. } => Scope::Delete,
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
            Records::Create { .. } | Records::Update { .. } | Records::BatchUpsert { .. } | Records::BatchDelete { .. }
        )
    }
}

pub fn parse(method: &Method, path: &str) -> Result<Route, ApiError> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let decoded = |segment: &str| shared::query::percent_decode_path(segment);
    let only_get = |route: Route| match *method {
        Method::GET => Ok(route),
        _ => Err(method_not_allowed(method, "GET")),
    };
    match segments.as_slice() {
        ["v1", "openapi.json"] => only_get(Route::OpenApi),
        ["v1", "meta", "tables"] => only_get(Route::Meta(Meta::Tables)),
        ["v1", "meta", "tables", table] => only_get(Route::Meta(Meta::Table { table: decoded(table)? })),
        ["v1", "meta", "openapi.json"] => only_get(Route::Meta(Meta::OpenApi)),
        ["public", "views", slug, part @ ("data" | "meta")] => {
            only_get(Route::View { slug: decoded(slug)?, meta: *part == "meta" })
        }
        ["v1", "tables", table, action] => {
            let table = decoded(table)?;
            let route = match (decoded(action)?.as_str(), method.clone()) {
                ("records", Method::GET) => Records::List { table },
                ("records", Method::POST) => Records::Create { table },
                ("records", Method::DELETE) => Records::DeleteMany { table },
                ("records", _) => return Err(method_not_allowed(method, "GET, POST, DELETE")),
                ("records:batchUpsert", Method::POST) => Records::BatchUpsert { table },
                ("records:batchDelete", Method::POST) => Records::BatchDelete { table },
                ("records:batchUpsert" | "records:batchDelete", _) => return Err(method_not_allowed(method, "POST")),
                _ => return Err(not_found(path)),
            };
            Ok(Route::Records(route))
        }
        ["v1", "tables", table, "records", id] => {
            let (table, id) = (decoded(table)?, decoded(id)?);
            match *method {
                Method::GET => Ok(Route::Records(Records::Get { table, id })),
                Method::PATCH => Ok(Route::Records(Records::Update { table, id })),
                Method::DELETE => Ok(Route::Records(Records::Delete { table, id })),
                _ => Err(method_not_allowed(method, "GET, PATCH, DELETE")),
            }
        }
        _ => Err(not_found(path)),
    }
}

fn not_found(path: &str) -> ApiError {
    ApiError::new(ErrorCode::RouteNotFound, format!("No route for '{path}'. See /v1/openapi.json.")).with("path", path)
}

fn method_not_allowed(method: &Method, allowed: &str) -> ApiError {
    ApiError::new(ErrorCode::MethodNotAllowed, format!("{method} is not allowed here; use {allowed}."))
        .with("allowed", allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: Method, uri: &str) -> Result<Route, ErrorCode> {
        parse(&method, uri).map_err(|error| error.code)
    }

    fn records(route: Records) -> Result<Route, ErrorCode> {
        Ok(Route::Records(route))
    }

    #[test]
    fn routes() {
        let table = || "customers".to_owned();
        assert_eq!(route(Method::GET, "/v1/tables/customers/records"), records(Records::List { table: table() }));
        assert_eq!(route(Method::POST, "/v1/tables/customers/records/"), records(Records::Create { table: table() }));
        assert_eq!(
            route(Method::DELETE, "/v1/tables/customers/records"),
            records(Records::DeleteMany { table: table() })
        );
        assert_eq!(
            route(Method::GET, "/v1/tables/cust%6Fmers/records/abc"),
            records(Records::Get { table: table(), id: "abc".into() })
        );
        assert_eq!(
            route(Method::PATCH, "/v1/tables/customers/records/abc"),
            records(Records::Update { table: table(), id: "abc".into() })
        );
        assert_eq!(
            route(Method::DELETE, "/v1/tables/customers/records/abc"),
            records(Records::Delete { table: table(), id: "abc".into() })
        );
        assert_eq!(
            route(Method::POST, "/v1/tables/customers/records:batchUpsert"),
            records(Records::BatchUpsert { table: table() })
        );
        assert_eq!(
            route(Method::POST, "/v1/tables/customers/records%3AbatchDelete"),
            records(Records::BatchDelete { table: table() })
        );
        assert_eq!(route(Method::GET, "/v1/tables/customers/records:batchDelete"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route(Method::PUT, "/v1/tables/customers/records/abc"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route(Method::GET, "/v1/tables/customers"), Err(ErrorCode::RouteNotFound));
        assert_eq!(route(Method::GET, "/v1/tables/customers/records:nope"), Err(ErrorCode::RouteNotFound));
        assert_eq!(route(Method::GET, "/v1/openapi.json"), Ok(Route::OpenApi));
        assert_eq!(route(Method::GET, "/v1/meta/tables"), Ok(Route::Meta(Meta::Tables)));
        assert_eq!(route(Method::GET, "/v1/meta/tables/customers"), Ok(Route::Meta(Meta::Table { table: table() })));
        assert_eq!(route(Method::GET, "/v1/meta/openapi.json"), Ok(Route::Meta(Meta::OpenApi)));
        assert_eq!(route(Method::GET, "/"), Err(ErrorCode::RouteNotFound));
        assert_eq!(
            route(Method::GET, "/public/views/top-customers/data"),
            Ok(Route::View { slug: "top-customers".into(), meta: false })
        );
        assert_eq!(
            route(Method::GET, "/public/views/top-customers/meta"),
            Ok(Route::View { slug: "top-customers".into(), meta: true })
        );
        assert_eq!(route(Method::POST, "/public/views/x/data"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route(Method::GET, "/public/views/x"), Err(ErrorCode::RouteNotFound));
        // A `+` in a path is a plus; only query strings read it as a space.
        assert_eq!(
            route(Method::GET, "/v1/tables/a+b/records/c%2Bd"),
            records(Records::Get { table: "a+b".into(), id: "c+d".into() })
        );
    }
}
