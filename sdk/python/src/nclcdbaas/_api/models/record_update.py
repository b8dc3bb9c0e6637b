from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.values import Values


T = TypeVar("T", bound="RecordUpdate")


@_attrs_define
class RecordUpdate:
    """A change to a record.

    Attributes:
        values (Values): Field name → value. In a create or an upsert item, every required field must be given;
            a name that is not a field of the table is a 422.
    """

    values: Values

    def to_dict(self) -> dict[str, Any]:
        values = self.values.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "values": values,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.values import Values

        d = dict(src_dict)
        values = Values.from_dict(d.pop("values"))

        record_update = cls(
            values=values,
        )

        return record_update
