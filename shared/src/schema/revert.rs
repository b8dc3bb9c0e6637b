//! Reverting an applied schema change: the change that brings the table back to the
//! state its operation recorded before it ran, planned against the catalog as it is now
//! and checked like any other change (names free, nothing using what goes, limits).
//!
//! The origin refuses a revert when a later change of the same table came after it (but
//! changes of two different fields, or a rename and another change, are independent, and
//! a change and its revert cancel out), so the state recorded before the reverted change
//! is the state the table would have without it.

use super::{
    CatalogChange, Change, FieldPatch, LinkPatch, SchemaPlan, check_computed, field_name_free, find_field, find_table,
    plan, refuse_if_used, replace_rules, table_name_free, update_field,
};
use crate::catalog::{Catalog, Field, Table};
use crate::ddl;
use crate::error::{ApiError, ErrorCode};
use crate::ids::TableId;
use uuid::Uuid;

/// Plans the revert of `change`, recorded with `before`, the table as it was (none for
/// a new table, and for operations recorded before tables were kept with them). `new_id`
/// is [`plan`]'s.
pub fn plan_revert(
    catalog: &Catalog,
    change: &CatalogChange,
    before: Option<&Table>,
    new_id: &mut dyn FnMut() -> Uuid,
) -> Result<SchemaPlan, ApiError> {
    let by_id = |table: TableId| table.to_string();
    let before = || {
        before.ok_or_else(|| {
            not_revertible("This change was recorded without the state before it; change the table back by hand.")
        })
    };
    // Checked and planned exactly as an admin's own request would be.
    let mut request = |change: Change| plan(catalog, &change, new_id);
    match change {
        CatalogChange::CreateTable { table } => request(Change::DropTable { table: by_id(table.id) }),
        CatalogChange::AddField { table, field } | CatalogChange::RestoreField { table, field } => {
            request(Change::DropField { table: by_id(*table), field: field.id.to_string() })
        }
        CatalogChange::RestoreTable { table } => request(Change::DropTable { table: by_id(*table) }),
        CatalogChange::RenameTable { table, alias, .. } => {
            request(Change::RenameTable { table: by_id(*table), name: alias.clone() })
        }
        CatalogChange::DropTable { .. } => restore_table(catalog, before()?),
        CatalogChange::DropField { field, .. } => {
            let table = before()?;
            let field =
                table.field_by_id(*field).ok_or_else(|| not_revertible("The dropped field is not recorded."))?;
            restore_field(catalog, find_table(catalog, &by_id(table.id))?, field)
        }
        CatalogChange::UpdateField { table, field, .. } => {
            let was = before()?.field_by_id(field.id).ok_or_else(|| not_revertible("The field is not recorded."))?;
            let table = find_table(catalog, &by_id(*table))?;
            revert_field(catalog, table, find_field(table, &field.id.to_string())?, was)
        }
        CatalogChange::SetRules { table, .. } => {
            let was = before()?;
            replace_rules(catalog, find_table(catalog, &by_id(*table))?, was.rules.clone(), was.unique.clone(), true)
        }
        CatalogChange::SetPolicies { table, .. } => {
            let table = find_table(catalog, &by_id(*table))?;
            Ok(SchemaPlan {
                steps: Vec::new(),
                change: CatalogChange::SetPolicies { table: table.id, policies: before()?.policies.clone() },
            })
        }
        CatalogChange::SetIndexes { table, .. } => {
            let table = find_table(catalog, &by_id(*table))?;
            let was = &before()?.indexes;
            let base = catalog.base_id;
            let mut steps: Vec<_> = table
                .indexes
                .iter()
                .filter(|index| !was.iter().any(|old| old.id == index.id))
                .map(|index| ddl::drop_index(base, index))
                .collect();
            for index in was.iter().filter(|old| !table.indexes.iter().any(|index| index.id == old.id)) {
                steps.push(ddl::create_index(base, table.id, index));
            }
            Ok(SchemaPlan { steps, change: CatalogChange::SetIndexes { table: table.id, indexes: was.clone() } })
        }
        CatalogChange::PurgeTable { .. } | CatalogChange::PurgeField { .. } => {
            Err(not_revertible("A purge cannot be undone: the values are gone."))
        }
    }
}

fn not_revertible(message: &str) -> ApiError {
    ApiError::new(ErrorCode::SchemaConflict, message).with("reason", "not_revertible")
}

/// A dropped table comes back as it was, under its name when that is still free; its
/// links constrain new writes again (the values written while it was dropped stay as
/// they are, so the foreign keys are not validated against them).
fn restore_table(catalog: &Catalog, table: &Table) -> Result<SchemaPlan, ApiError> {
    table_name_free(catalog, &table.name, None).map_err(rename_first)?;
    for field in &table.fields {
        if let Some(link) = &field.link
            && link.table != table.id
            && catalog.table_by_id(link.table).is_none()
        {
            return Err(ApiError::new(
                ErrorCode::SchemaConflict,
                format!("Field '{}' links to a table that was dropped too; restore that table first.", field.name),
            )
            .with("reason", "link_target_gone"));
        }
    }
    let steps = table
        .fields
        .iter()
        .filter_map(|field| {
            field.link.as_ref().map(|link| ddl::add_link_unchecked(catalog.base_id, table.id, field.id, link))
        })
        .collect();
    Ok(SchemaPlan { steps, change: CatalogChange::RestoreTable { table: table.id } })
}

/// A dropped field comes back with its values and definition, except that a required
/// field comes back optional: records written while it was dropped have no value.
fn restore_field(catalog: &Catalog, table: &Table, field: &Field) -> Result<SchemaPlan, ApiError> {
    field_name_free(table, &field.name, None).map_err(rename_first)?;
    let field = Field { required: false, aliases: Vec::new(), ..field.clone() };
    if let Some(link) = &field.link
        && catalog.table_by_id(link.table).is_none()
    {
        return Err(ApiError::new(
            ErrorCode::SchemaConflict,
            format!("Field '{}' links to a table that was dropped; restore that table first.", field.name),
        )
        .with("reason", "link_target_gone"));
    }
    if field.computed.is_some() {
        let reads_gone = field.computed.as_ref().is_some_and(|computed| {
            computed
                .reads(table.id, &catalog.with_field(table, &field))
                .iter()
                .any(|(table, read)| catalog.table_by_id(*table).is_none_or(|table| table.field_by_id(*read).is_none()))
        });
        if reads_gone {
            return Err(ApiError::new(
                ErrorCode::SchemaConflict,
                format!("'{}' computes from a field that is gone; restore that field first.", field.name),
            )
            .with("reason", "source_gone"));
        }
        check_computed(catalog, table, &field)?;
    }
    let steps =
        field.link.iter().map(|link| ddl::add_link_unchecked(catalog.base_id, table.id, field.id, link)).collect();
    Ok(SchemaPlan { steps, change: CatalogChange::RestoreField { table: table.id, field } })
}

/// A name taken since: the refusal says what to do.
fn rename_first(error: ApiError) -> ApiError {
    ApiError { message: format!("{} Rename that one first, then restore.", error.message), ..error }
}

/// A field's definition back to `was`: a stored field through the same patch an admin
/// would send (so an unsafe type change back is refused the same way), a computed one
/// checked against the fields it computes from.
fn revert_field(catalog: &Catalog, table: &Table, current: &Field, was: &Field) -> Result<SchemaPlan, ApiError> {
    if current.computed.is_some() || was.computed.is_some() {
        if current.computed.is_some() != was.computed.is_some() {
            return Err(not_revertible("The field changed between stored and computed."));
        }
        let field = Field { aliases: current.aliases.clone(), ..was.clone() };
        if field == *current {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("Field '{}' already is as it was.", was.name),
            ));
        }
        if field.name != current.name {
            field_name_free(table, &field.name, Some(field.id))?;
        }
        if field.field_type != current.field_type {
            refuse_if_used(catalog, table, current, "change the type of")?;
        }
        check_computed(catalog, table, &field)?;
        let alias = (field.name != current.name).then(|| current.name.clone());
        return Ok(SchemaPlan {
            steps: Vec::new(),
            change: CatalogChange::UpdateField { table: table.id, field, alias },
        });
    }
    let link = match (&was.link, &current.link) {
        (Some(was), Some(now)) if was != now => Some(LinkPatch {
            on_delete: (was.on_delete != now.on_delete).then_some(was.on_delete),
            display: match was.display {
                Some(display) if was.display != now.display => catalog
                    .table_by_id(was.table)
                    .and_then(|target| target.field_by_id(display))
                    .map(|field| field.name.clone()),
                _ => None,
            },
        }),
        _ => None,
    };
    let patch = FieldPatch {
        name: (was.name != current.name).then(|| was.name.clone()),
        field_type: (was.field_type != current.field_type).then_some(was.field_type),
        required: (was.required != current.required).then_some(was.required),
        unique: (was.unique != current.unique).then_some(was.unique),
        default: (was.default != current.default).then(|| was.default.clone()),
        options: (was.options != current.options).then(|| was.options.clone()),
        link,
        rules: (was.rules != current.rules).then(|| was.rules.clone()),
        ..FieldPatch::default()
    };
    if patch == FieldPatch::default() {
        return Err(ApiError::new(ErrorCode::InvalidRequest, format!("Field '{}' already is as it was.", was.name)));
    }
    update_field(catalog, table, current, &patch)
}
