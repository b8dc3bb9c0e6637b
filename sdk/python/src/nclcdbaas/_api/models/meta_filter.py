from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.field_type import FieldType
from ..models.operator import Operator

T = TypeVar("T", bound="MetaFilter")


@_attrs_define
class MetaFilter:
    """A filter callers may add.

    Attributes:
        field (str):
        operators (list[Operator]):
        syntax (str): How to write it in a query.
        type_ (FieldType):
    """

    field: str
    operators: list[Operator]
    syntax: str
    type_: FieldType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        operators = []
        for operators_item_data in self.operators:
            operators_item = operators_item_data.value
            operators.append(operators_item)

        syntax = self.syntax

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "operators": operators,
                "syntax": syntax,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field = d.pop("field")

        operators = []
        _operators = d.pop("operators")
        for operators_item_data in _operators:
            operators_item = Operator(operators_item_data)

            operators.append(operators_item)

        syntax = d.pop("syntax")

        type_ = FieldType(d.pop("type"))

        meta_filter = cls(
            field=field,
            operators=operators,
            syntax=syntax,
            type_=type_,
        )

        meta_filter.additional_properties = d
        return meta_filter

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
