from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Reverted")


@_attrs_define
class Reverted:
    """What a revert wrote.

    Attributes:
        action (str): `update` (the record's values restored), `create` (a deleted record back, with its
            id) or `delete` (a created record removed).
        change (int): The change reverted.
        record (Any): The record as the write answered it; null after a delete.
        skipped_fields (list[str]): Fields of the record before the change that the table no longer has, or that are
            computed: not restored.
    """

    action: str
    change: int
    record: Any
    skipped_fields: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        change = self.change

        record = self.record

        skipped_fields = self.skipped_fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "change": change,
                "record": record,
                "skipped_fields": skipped_fields,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        action = d.pop("action")

        change = d.pop("change")

        record = d.pop("record")

        skipped_fields = cast(list[str], d.pop("skipped_fields"))

        reverted = cls(
            action=action,
            change=change,
            record=record,
            skipped_fields=skipped_fields,
        )

        reverted.additional_properties = d
        return reverted

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
