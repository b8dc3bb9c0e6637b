//! Routing: method and path to a [`Route`], or the error that answers it.

use http::Method;
use shared::error::{ApiError, ErrorCode};

#[derive(Debug, PartialEq)]
pub enum Route {
    /// `GET /v1/openapi.json`, the one route that needs no token.
    OpenApi,
    Records(Records),
}

/// The authenticated records routes.
#[derive(Debug, PartialEq)]
pub enum Records {
    List { table: String },
    Get { table: String, id: String },
    Create { table: String },
}

impl Records {
    /// The `{tableId}` path segment: a table UUID or system name.
    pub fn table(&self) -> &str {
        match self {
            Records::List { table } | Records::Get { table, .. } | Records::Create { table } => table,
        }
    }
}

pub fn parse(method: &Method, path: &str) -> Result<Route, ApiError> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let decoded = |segment: &str| shared::query::percent_decode(segment);
    match segments.as_slice() {
        ["v1", "openapi.json"] => match *method {
            Method::GET => Ok(Route::OpenApi),
            _ => Err(method_not_allowed(method, "GET")),
        },
        ["v1", "tables", table, "records"] => {
            let table = decoded(table)?;
            match *method {
                Method::GET => Ok(Route::Records(Records::List { table })),
                Method::POST => Ok(Route::Records(Records::Create { table })),
                _ => Err(method_not_allowed(method, "GET, POST")),
            }
        }
        ["v1", "tables", table, "records", id] => match *method {
            Method::GET => Ok(Route::Records(Records::Get { table: decoded(table)?, id: decoded(id)? })),
            _ => Err(method_not_allowed(method, "GET")),
        },
        _ => Err(ApiError::new(ErrorCode::RouteNotFound, format!("No route for '{path}'. See /v1/openapi.json."))
            .with("path", path)),
    }
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

    #[test]
    fn routes() {
        assert_eq!(
            route(Method::GET, "/v1/tables/customers/records"),
            Ok(Route::Records(Records::List { table: "customers".into() }))
        );
        assert_eq!(
            route(Method::POST, "/v1/tables/customers/records/"),
            Ok(Route::Records(Records::Create { table: "customers".into() }))
        );
        assert_eq!(
            route(Method::GET, "/v1/tables/cust%6Fmers/records/abc"),
            Ok(Route::Records(Records::Get { table: "customers".into(), id: "abc".into() }))
        );
        assert_eq!(route(Method::DELETE, "/v1/tables/customers/records/abc"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route(Method::GET, "/v1/tables/customers"), Err(ErrorCode::RouteNotFound));
        assert_eq!(route(Method::GET, "/v1/openapi.json"), Ok(Route::OpenApi));
        assert_eq!(route(Method::GET, "/"), Err(ErrorCode::RouteNotFound));
    }
}
