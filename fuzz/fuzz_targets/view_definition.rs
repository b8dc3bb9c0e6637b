//! View definitions, then a public request against the view: the bytes before the first
//! NUL are the definition (JSON), the rest is the request's query string.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nc_fuzz::{SIGNING_KEY, catalog, check_compiled, check_refusal};
use shared::plan::Plan;
use shared::view::{ViewSpec, check_current, check_size, compile_request, define};

fuzz_target!(|data: &[u8]| {
    let (spec, query) = match data.iter().position(|byte| *byte == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let Ok(spec) = serde_json::from_slice::<ViewSpec>(spec) else { return };
    if let Err(error) = check_size(&spec) {
        return check_refusal(&error);
    }
    let definition = match define(catalog(), &spec) {
        Ok(definition) => definition,
        Err(error) => return check_refusal(&error),
    };
    assert!(definition.exposes_only_its_fields(), "a view sorts and filters only on what it returns");
    check_current(&definition, catalog()).expect("a new definition is current");
    let table = catalog().table_by_id(definition.table).expect("a view of a table of the catalog");
    let raw = String::from_utf8_lossy(query);
    let Some(plan) = check_compiled(compile_request(&definition, catalog(), table, &raw, &shared::keys::Keyring::single(SIGNING_KEY))) else { return };
    let Plan::ListRecords { fields, sort, .. } = &plan else { panic!("a view request is a list: {plan:?}") };
    let fields = fields.as_deref().expect("a view request names its fields");
    assert!(fields.iter().all(|field| definition.fields.contains(field)), "only the view's fields are returned");
    assert!(sort.iter().all(|key| definition.returns(key.column)), "rows are ordered only by what is returned");
});
