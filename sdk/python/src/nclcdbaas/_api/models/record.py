from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.values import Values


T = TypeVar("T", bound="Record")


@_attrs_define
class Record:
    """A record: its id, its fields' values and its system columns.

    Attributes:
        created_at (datetime.datetime):
        id (UUID):
        updated_at (datetime.datetime):
        values (Values): Field name → value. In a create or an upsert item, every required field must be given;
            a name that is not a field of the table is a 422.
    """

    created_at: datetime.datetime
    id: UUID
    updated_at: datetime.datetime
    values: Values

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        id = str(self.id)

        updated_at = self.updated_at.isoformat()

        values = self.values.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "updated_at": updated_at,
                "values": values,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.values import Values

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        values = Values.from_dict(d.pop("values"))

        record = cls(
            created_at=created_at,
            id=id,
            updated_at=updated_at,
            values=values,
        )

        return record
