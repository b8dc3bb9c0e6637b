from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="NewLookup")


@_attrs_define
class NewLookup:
    """A lookup: a field of the record a link of this table points at.

    Attributes:
        field (str): The field of the linked table, by id or name.
        link (str): The link field of this table, by id or name.
    """

    field: str
    link: str

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        link = self.link

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
                "link": link,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field = d.pop("field")

        link = d.pop("link")

        new_lookup = cls(
            field=field,
            link=link,
        )

        return new_lookup
