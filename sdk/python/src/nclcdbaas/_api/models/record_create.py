from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.values import Values


T = TypeVar("T", bound="RecordCreate")


@_attrs_define
class RecordCreate:
    """
    Attributes:
        values (Values): Field name → value. In a create or an upsert item, every required field must be given; a name
            that is not a field of the table is a 422.
        id (UUID | Unset): Optional client-chosen id (409 `DUPLICATE_RECORD` if taken); generated otherwise. In an
            upsert without `unique`, the record to update.
    """

    values: Values
    id: UUID | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        values = self.values.to_dict()

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "values": values,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.values import Values

        d = dict(src_dict)
        values = Values.from_dict(d.pop("values"))

        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id, Unset):
            id = UNSET
        else:
            id = UUID(_id)

        record_create = cls(
            values=values,
            id=id,
        )

        return record_create
