from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Backlink")


@_attrs_define
class Backlink:
    """The reverse side of another table's link to this one (one-to-many): derived, not stored.

    Attributes:
        field (str): Its link field.
        include (str): How a read names it: `include=<table>.<field>`, `filter[<field>][eq]=<id>` on that table.
        table (str): The linking table.
    """

    field: str
    include: str
    table: str

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        include = self.include

        table = self.table

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "field": field,
                "include": include,
                "table": table,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field = d.pop("field")

        include = d.pop("include")

        table = d.pop("table")

        backlink = cls(
            field=field,
            include=include,
            table=table,
        )

        return backlink
