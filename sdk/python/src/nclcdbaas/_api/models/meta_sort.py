from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MetaSort")


@_attrs_define
class MetaSort:
    """
    Attributes:
        default (list[str]): The view's own order, as `field:asc|desc` keys.
        fields (list[str]): The fields callers may sort on.
        syntax (str):
    """

    default: list[str]
    fields: list[str]
    syntax: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default = self.default

        fields = self.fields

        syntax = self.syntax

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default": default,
                "fields": fields,
                "syntax": syntax,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        default = cast(list[str], d.pop("default"))

        fields = cast(list[str], d.pop("fields"))

        syntax = d.pop("syntax")

        meta_sort = cls(
            default=default,
            fields=fields,
            syntax=syntax,
        )

        meta_sort.additional_properties = d
        return meta_sort

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
