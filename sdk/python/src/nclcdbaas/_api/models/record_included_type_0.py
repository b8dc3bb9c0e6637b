from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RecordIncludedType0")


@_attrs_define
class RecordIncludedType0:
    """Only with `include=`: each relation by the name it was asked by. A link field
    (`customer`) holds the linked record, or null; a reverse link (`orders.customer`)
    holds `{"data": [records], "has_more"}`, the first 25 (`REVERSE_PAGE`) linking records, oldest first
    (the rest: `GET /v1/tables/orders/records?filter[customer][eq]=<id>`).

    """

    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        record_included_type_0 = cls()

        record_included_type_0.additional_properties = d
        return record_included_type_0

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
