from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.operator import Operator

T = TypeVar("T", bound="AllowedFilter")


@_attrs_define
class AllowedFilter:
    """A filter callers may add: a returned field or system column, and its operators.

    Attributes:
        field (str):
        ops (list[Operator]):
    """

    field: str
    ops: list[Operator]

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        ops = []
        for ops_item_data in self.ops:
            ops_item = ops_item_data.value
            ops.append(ops_item)

        field_dict: dict[str, Any] = {}

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

        allowed_filter = cls(
            field=field,
            ops=ops,
        )

        return allowed_filter
