from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.record_create import RecordCreate


T = TypeVar("T", bound="BatchUpsertRequest")


@_attrs_define
class BatchUpsertRequest:
    """Records to insert or update in one transaction.

    Attributes:
        items (list[RecordCreate]): 1 to 1000 items (more is a 413).
    """

    items: list[RecordCreate]

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.record_create import RecordCreate

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = RecordCreate.from_dict(items_item_data)

            items.append(items_item)

        batch_upsert_request = cls(
            items=items,
        )

        return batch_upsert_request
