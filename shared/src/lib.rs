//! The request compiler shared by the edge and the origin.
//!
//! A request moves through these modules in order, the same way on every host:
//! [`query`] parses the URL, [`catalog`] resolves names to ids, [`plan`] turns the
//! parsed request into a [`plan::Plan`], [`envelope`] and [`sign`] wrap it for the
//! trip to the origin, and [`lower`] turns it into SQL text with bound parameters.
//! [`error`] is the one error model every response uses.
//!
//! Architecture Invariant: this crate does no I/O and has no async runtime, clock or
//! random source. Time and nonces are arguments, so every function here is a pure
//! function of its inputs and runs unchanged on wasm32 and native targets.

pub mod api;
pub mod archive;
pub mod bulk;
pub mod catalog;
pub mod cursor;
pub mod ddl;
pub mod envelope;
pub mod error;
pub mod events;
pub mod formula;
pub mod ids;
pub mod invalidation;
pub mod json_schema;
pub mod jwt;
pub mod keys;
pub mod lower;
pub mod manage;
pub mod plan;
pub mod policy;
pub mod query;
pub mod records;
pub mod resource;
pub mod rules;
pub mod s3;
pub mod schema;
pub mod sign;
pub mod token;
pub mod trace;
pub mod usage;
pub mod value;
pub mod view;
pub mod webhook;

pub use error::{ApiError, ErrorCode};
