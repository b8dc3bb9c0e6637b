//! A formula's text, as a builder types it into a computed field.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nc_fuzz::{FORMULA_FIELD, catalog, check_sql, table};
use shared::catalog::{Computed, Field};
use shared::formula::{compile, render};
use shared::ids::FieldId;
use shared::lower::{WriteContext, lower};
use shared::plan::{Column, Plan, SortKey};
use shared::policy::Caller;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let table = table();
    let checked = match compile(table, text) {
        Ok(checked) => checked,
        Err(error) => {
            let length = text.chars().count();
            assert!(error.start <= error.end && error.end <= length, "{error:?} outside {length} characters");
            return;
        }
    };
    // Its text form, with the fields' names, compiles to the same tree (when it is within
    // the length a client may send: rendering spaces operators out).
    let rendered = render(table, &checked.formula);
    if rendered.chars().count() <= shared::formula::MAX_CHARS {
        let again = compile(table, &rendered).expect("a rendered formula compiles");
        assert_eq!(again.formula, checked.formula);
        assert_eq!(again.kind, checked.kind);
    }
    // As a field, read, filtered on and sorted by: the SQL keeps the lowering's invariants.
    let mut catalog = catalog().clone();
    let id = FieldId(uuid::Uuid::from_u128(999));
    catalog.tables[0].fields.push(Field {
        computed: Some(Computed::Formula { formula: checked.formula }),
        ..Field::new(id, FORMULA_FIELD, checked.kind.field_type())
    });
    let plan = Plan::ListRecords {
        table: catalog.tables[0].id,
        filter: Some(shared::plan::Expr::Cond(shared::plan::Condition {
            column: Column::Field(id),
            op: shared::query::Op::IsNull,
            values: vec!["false".into()],
            var: None,
        })),
        sort: vec![
            SortKey { column: Column::Field(id), descending: true },
            SortKey { column: Column::Id, descending: false },
        ],
        fields: Some(vec![id]),
        limit: 5,
        after: None,
        include: Vec::new(),
    };
    let context = WriteContext { actor: "fuzz", request_id: "fuzz", caller: &Caller::UNRESTRICTED };
    for sql in lower(&plan, &catalog, &context).expect("a checked formula lowers") {
        check_sql(&sql);
    }
});
