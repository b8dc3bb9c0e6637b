from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.computed_value import ComputedValue
    from ..models.not_converting import NotConverting
    from ..models.preflight import Preflight
    from ..models.schema_change_result_change import SchemaChangeResultChange
    from ..models.schema_change_result_field import SchemaChangeResultField
    from ..models.schema_change_result_schema_op import SchemaChangeResultSchemaOp
    from ..models.schema_change_result_steps_item import SchemaChangeResultStepsItem
    from ..models.schema_change_result_table import SchemaChangeResultTable


T = TypeVar("T", bound="SchemaChangeResult")


@_attrs_define
class SchemaChangeResult:
    """The table or field after a schema change, with the operation that recorded it; with
    `dry_run=true`, the planned DDL instead (`dry_run`, `steps` and `change` only).

        Attributes:
            base_id (UUID | Unset): The base; after a change that was applied.
            catalog_version (int | Unset): The base's catalog version after the change.
            change (SchemaChangeResultChange | Unset): The catalog change the DDL commits with; on a preview.
            computed (list[ComputedValue] | Unset): What a computed field being added or changed gives on the table's first
                records
                (oldest first); on the preview of a computed field.
            dry_run (bool | Unset): `true` on a preview; absent when the change was applied.
            field (SchemaChangeResultField | Unset): The field as it is now, or its id and `dropped`; after a field change.
            not_converting (NotConverting | Unset): The values of a field that do not convert into the new type: how many,
                and the ids
                of the first three records holding one.
            preflight (Preflight | Unset): What a schema change will do to the running base, before it runs.
            schema_op (SchemaChangeResultSchemaOp | Unset): The operation that recorded the change (`GET
                /api/v1/bases/{baseId}/schema-ops`).
            steps (list[SchemaChangeResultStepsItem] | Unset): The DDL the change would run, in order; on a preview.
            table (SchemaChangeResultTable | Unset): The table as created, its new name and former names, or its id and
                `dropped`;
                after a table change.
            table_id (UUID | Unset): The changed field's table; after a field change.
    """

    base_id: UUID | Unset = UNSET
    catalog_version: int | Unset = UNSET
    change: SchemaChangeResultChange | Unset = UNSET
    computed: list[ComputedValue] | Unset = UNSET
    dry_run: bool | Unset = UNSET
    field: SchemaChangeResultField | Unset = UNSET
    not_converting: NotConverting | Unset = UNSET
    preflight: Preflight | Unset = UNSET
    schema_op: SchemaChangeResultSchemaOp | Unset = UNSET
    steps: list[SchemaChangeResultStepsItem] | Unset = UNSET
    table: SchemaChangeResultTable | Unset = UNSET
    table_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_id: str | Unset = UNSET
        if not isinstance(self.base_id, Unset):
            base_id = str(self.base_id)

        catalog_version = self.catalog_version

        change: dict[str, Any] | Unset = UNSET
        if not isinstance(self.change, Unset):
            change = self.change.to_dict()

        computed: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.computed, Unset):
            computed = []
            for computed_item_data in self.computed:
                computed_item = computed_item_data.to_dict()
                computed.append(computed_item)

        dry_run = self.dry_run

        field: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field, Unset):
            field = self.field.to_dict()

        not_converting: dict[str, Any] | Unset = UNSET
        if not isinstance(self.not_converting, Unset):
            not_converting = self.not_converting.to_dict()

        preflight: dict[str, Any] | Unset = UNSET
        if not isinstance(self.preflight, Unset):
            preflight = self.preflight.to_dict()

        schema_op: dict[str, Any] | Unset = UNSET
        if not isinstance(self.schema_op, Unset):
            schema_op = self.schema_op.to_dict()

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        table: dict[str, Any] | Unset = UNSET
        if not isinstance(self.table, Unset):
            table = self.table.to_dict()

        table_id: str | Unset = UNSET
        if not isinstance(self.table_id, Unset):
            table_id = str(self.table_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if base_id is not UNSET:
            field_dict["base_id"] = base_id
        if catalog_version is not UNSET:
            field_dict["catalog_version"] = catalog_version
        if change is not UNSET:
            field_dict["change"] = change
        if computed is not UNSET:
            field_dict["computed"] = computed
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run
        if field is not UNSET:
            field_dict["field"] = field
        if not_converting is not UNSET:
            field_dict["not_converting"] = not_converting
        if preflight is not UNSET:
            field_dict["preflight"] = preflight
        if schema_op is not UNSET:
            field_dict["schema_op"] = schema_op
        if steps is not UNSET:
            field_dict["steps"] = steps
        if table is not UNSET:
            field_dict["table"] = table
        if table_id is not UNSET:
            field_dict["table_id"] = table_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.computed_value import ComputedValue
        from ..models.not_converting import NotConverting
        from ..models.preflight import Preflight
        from ..models.schema_change_result_change import SchemaChangeResultChange
        from ..models.schema_change_result_field import SchemaChangeResultField
        from ..models.schema_change_result_schema_op import SchemaChangeResultSchemaOp
        from ..models.schema_change_result_steps_item import SchemaChangeResultStepsItem
        from ..models.schema_change_result_table import SchemaChangeResultTable

        d = dict(src_dict)
        _base_id = d.pop("base_id", UNSET)
        base_id: UUID | Unset
        if isinstance(_base_id, Unset):
            base_id = UNSET
        else:
            base_id = UUID(_base_id)

        catalog_version = d.pop("catalog_version", UNSET)

        _change = d.pop("change", UNSET)
        change: SchemaChangeResultChange | Unset
        if isinstance(_change, Unset):
            change = UNSET
        else:
            change = SchemaChangeResultChange.from_dict(_change)

        _computed = d.pop("computed", UNSET)
        computed: list[ComputedValue] | Unset = UNSET
        if _computed is not UNSET:
            computed = []
            for computed_item_data in _computed:
                computed_item = ComputedValue.from_dict(computed_item_data)

                computed.append(computed_item)

        dry_run = d.pop("dry_run", UNSET)

        _field = d.pop("field", UNSET)
        field: SchemaChangeResultField | Unset
        if isinstance(_field, Unset):
            field = UNSET
        else:
            field = SchemaChangeResultField.from_dict(_field)

        _not_converting = d.pop("not_converting", UNSET)
        not_converting: NotConverting | Unset
        if isinstance(_not_converting, Unset):
            not_converting = UNSET
        else:
            not_converting = NotConverting.from_dict(_not_converting)

        _preflight = d.pop("preflight", UNSET)
        preflight: Preflight | Unset
        if isinstance(_preflight, Unset):
            preflight = UNSET
        else:
            preflight = Preflight.from_dict(_preflight)

        _schema_op = d.pop("schema_op", UNSET)
        schema_op: SchemaChangeResultSchemaOp | Unset
        if isinstance(_schema_op, Unset):
            schema_op = UNSET
        else:
            schema_op = SchemaChangeResultSchemaOp.from_dict(_schema_op)

        _steps = d.pop("steps", UNSET)
        steps: list[SchemaChangeResultStepsItem] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = SchemaChangeResultStepsItem.from_dict(steps_item_data)

                steps.append(steps_item)

        _table = d.pop("table", UNSET)
        table: SchemaChangeResultTable | Unset
        if isinstance(_table, Unset):
            table = UNSET
        else:
            table = SchemaChangeResultTable.from_dict(_table)

        _table_id = d.pop("table_id", UNSET)
        table_id: UUID | Unset
        if isinstance(_table_id, Unset):
            table_id = UNSET
        else:
            table_id = UUID(_table_id)

        schema_change_result = cls(
            base_id=base_id,
            catalog_version=catalog_version,
            change=change,
            computed=computed,
            dry_run=dry_run,
            field=field,
            not_converting=not_converting,
            preflight=preflight,
            schema_op=schema_op,
            steps=steps,
            table=table,
            table_id=table_id,
        )

        schema_change_result.additional_properties = d
        return schema_change_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
