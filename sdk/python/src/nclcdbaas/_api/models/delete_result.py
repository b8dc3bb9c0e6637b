from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeleteResult")


@_attrs_define
class DeleteResult:
    """A deleted record.

    Attributes:
        deleted (Literal[True]):
        id (UUID):
    """

    deleted: Literal[True]
    id: UUID

    def to_dict(self) -> dict[str, Any]:
        deleted = self.deleted

        id = str(self.id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "deleted": deleted,
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        deleted = cast(Literal[True], d.pop("deleted"))
        if deleted != True:
            raise ValueError(f"deleted must match const True, got '{deleted}'")

        id = UUID(d.pop("id"))

        delete_result = cls(
            deleted=deleted,
            id=id,
        )

        return delete_result
