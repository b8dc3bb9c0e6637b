from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NewIndex")


@_attrs_define
class NewIndex:
    """An index as an admin asks for it (`POST …/tables/{table}/indexes`).

    Attributes:
        fields (list[str]): 1 to 8 stored fields, in order, each `name` or `name:desc` (the order a list's
            `sort` names them in).
        name (None | str | Unset): Its name in the table (default: the fields joined, e.g. `amount_desc_placed`).
    """

    fields: list[str]
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        new_index = cls(
            fields=fields,
            name=name,
        )

        return new_index
