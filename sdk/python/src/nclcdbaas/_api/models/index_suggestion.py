from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="IndexSuggestion")


@_attrs_define
class IndexSuggestion:
    """An index a slow list would have used.

    Attributes:
        fields (list[str]): The index's fields, as `POST …/indexes` takes them.
        lists (int): Slow lists it would have served.
        slowest_ms (int): The slowest of them, in milliseconds.
    """

    fields: list[str]
    lists: int
    slowest_ms: int

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        lists = self.lists

        slowest_ms = self.slowest_ms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
                "lists": lists,
                "slowest_ms": slowest_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        lists = d.pop("lists")

        slowest_ms = d.pop("slowest_ms")

        index_suggestion = cls(
            fields=fields,
            lists=lists,
            slowest_ms=slowest_ms,
        )

        return index_suggestion
