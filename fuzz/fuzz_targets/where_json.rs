//! The `where` JSON tree, sent as the query parameter a client would send.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nc_fuzz::{SIGNING_KEY, check_compiled, check_refusal, table};
use shared::plan::compile_list;
use shared::query::parse_records_query;
use std::fmt::Write;

fuzz_target!(|data: &[u8]| {
    let mut raw = String::from("limit=5&where=");
    for byte in data {
        let _ = write!(raw, "%{byte:02X}");
    }
    match parse_records_query(&raw) {
        Ok(query) => {
            if let Some(tree) = &query.filter_where {
                assert!(tree.depth() <= shared::plan::MAX_WHERE_DEPTH + 1, "the parser bounds the depth");
            }
            check_compiled(compile_list(table(), &query, &shared::keys::Keyring::single(SIGNING_KEY)));
        }
        Err(error) => check_refusal(&error),
    }
});
