from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UndoItem")


@_attrs_define
class UndoItem:
    """One record an undo writes.

    Attributes:
        action (str): `update`, `create` or `delete`.
        now (Any): The record's values now; null for a record deleted since.
        record_id (str):
        skipped_fields (list[str]): Fields the record had then that the table no longer has, or that are computed now:
            not restored.
        table (str):
        then (Any): Its values at `after`; null for a record created since.
    """

    action: str
    now: Any
    record_id: str
    skipped_fields: list[str]
    table: str
    then: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        now = self.now

        record_id = self.record_id

        skipped_fields = self.skipped_fields

        table = self.table

        then = self.then

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "now": now,
                "record_id": record_id,
                "skipped_fields": skipped_fields,
                "table": table,
                "then": then,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        action = d.pop("action")

        now = d.pop("now")

        record_id = d.pop("record_id")

        skipped_fields = cast(list[str], d.pop("skipped_fields"))

        table = d.pop("table")

        then = d.pop("then")

        undo_item = cls(
            action=action,
            now=now,
            record_id=record_id,
            skipped_fields=skipped_fields,
            table=table,
            then=then,
        )

        undo_item.additional_properties = d
        return undo_item

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
