from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operator import Operator

T = TypeVar("T", bound="ViewSpecAllowedFiltersItem")


@_attrs_define
class ViewSpecAllowedFiltersItem:
    """
    Attributes:
        field (str): A returned field or system column.
        ops (list[Operator]):
    """

    field: str
    ops: list[Operator]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        ops = []
        for ops_item_data in self.ops:
            ops_item = ops_item_data.value
            ops.append(ops_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "ops": ops,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field = d.pop("field")

        ops = []
        _ops = d.pop("ops")
        for ops_item_data in _ops:
            ops_item = Operator(ops_item_data)

            ops.append(ops_item)

        view_spec_allowed_filters_item = cls(
            field=field,
            ops=ops,
        )

        view_spec_allowed_filters_item.additional_properties = d
        return view_spec_allowed_filters_item

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
