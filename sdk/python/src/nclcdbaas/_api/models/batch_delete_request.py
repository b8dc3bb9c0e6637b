from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="BatchDeleteRequest")


@_attrs_define
class BatchDeleteRequest:
    """Records to delete in one transaction, all or none.

    Attributes:
        ids (list[UUID]): 1 to 1000 record ids (more is a 413; a non-UUID a 422).
    """

    ids: list[UUID]

    def to_dict(self) -> dict[str, Any]:
        ids = []
        for ids_item_data in self.ids:
            ids_item = str(ids_item_data)
            ids.append(ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ids": ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ids = []
        _ids = d.pop("ids")
        for ids_item_data in _ids:
            ids_item = UUID(ids_item_data)

            ids.append(ids_item)

        batch_delete_request = cls(
            ids=ids,
        )

        return batch_delete_request
