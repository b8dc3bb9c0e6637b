//! Record bodies: create, update, upsert (by a unique field and by id) and batch delete.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nc_fuzz::{check_compiled, table};
use shared::plan::{compile_batch_delete, compile_create, compile_update, compile_upsert};

fuzz_target!(|data: &[u8]| {
    check_compiled(compile_create(table(), data));
    check_compiled(compile_update(table(), "a4a80230-d814-42e7-9164-0b9d504016d4", data, Some(3)));
    check_compiled(compile_upsert(table(), Some("email"), data));
    check_compiled(compile_upsert(table(), None, data));
    check_compiled(compile_batch_delete(table(), data));
});
