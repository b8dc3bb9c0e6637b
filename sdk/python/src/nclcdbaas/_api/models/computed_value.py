from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="ComputedValue")


@_attrs_define
class ComputedValue:
    """A computed field's value on one record, in a preview.

    Attributes:
        id (UUID):
        value (Any):
    """

    id: UUID
    value: Any

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        value = d.pop("value")

        computed_value = cls(
            id=id,
            value=value,
        )

        return computed_value
