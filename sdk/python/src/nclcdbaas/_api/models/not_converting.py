from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="NotConverting")


@_attrs_define
class NotConverting:
    """The values of a field that do not convert into the new type: how many, and the ids
    of the first three records holding one.

        Attributes:
            count (int):
            examples (list[UUID]):
    """

    count: int
    examples: list[UUID]

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        examples = []
        for examples_item_data in self.examples:
            examples_item = str(examples_item_data)
            examples.append(examples_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
                "examples": examples,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        count = d.pop("count")

        examples = []
        _examples = d.pop("examples")
        for examples_item_data in _examples:
            examples_item = UUID(examples_item_data)

            examples.append(examples_item)

        not_converting = cls(
            count=count,
            examples=examples,
        )

        return not_converting
