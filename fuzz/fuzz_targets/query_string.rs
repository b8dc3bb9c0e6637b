//! The records query string (`filter[…]`, `where`, `sort`, `fields`, `limit`, `cursor`,
//! `ids`): parsed, then compiled as a list, a delete by filter and a read of one record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nc_fuzz::{SIGNING_KEY, check_compiled, check_refusal, table};
use shared::plan::{compile_delete_many, compile_get_in, compile_list};
use shared::query::{parse_get_query, parse_records_query};

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    match parse_records_query(&raw) {
        Ok(query) => {
            check_compiled(compile_list(table(), &query, &shared::keys::Keyring::single(SIGNING_KEY)));
            check_compiled(compile_delete_many(None, table(), &query, true));
            if compile_delete_many(None, table(), &query, false).is_ok() {
                assert!(query.filters.is_empty() && query.filter_where.is_none(), "a filtered delete needs consent");
            }
        }
        Err(error) => check_refusal(&error),
    }
    match parse_get_query(&raw) {
        Ok(query) => {
            check_compiled(compile_get_in(None, table(), "a4a80230-d814-42e7-9164-0b9d504016d4", &query));
        }
        Err(error) => check_refusal(&error),
    }
});
