from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="IndexInfo")


@_attrs_define
class IndexInfo:
    """An index an admin added: its fields in order, `name` or `name:desc` (each index
    ends with `id`, as every list's order does).

        Attributes:
            fields (list[str]):
            name (str):
    """

    fields: list[str]
    name: str

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        name = d.pop("name")

        index_info = cls(
            fields=fields,
            name=name,
        )

        return index_info
