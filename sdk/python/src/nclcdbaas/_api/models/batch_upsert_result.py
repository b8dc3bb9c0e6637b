from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="BatchUpsertResult")


@_attrs_define
class BatchUpsertResult:
    """What a batch upsert did.

    Attributes:
        ids (list[UUID]): Each item's record id, in item order.
        job_id (None): Reserved for asynchronous bulk jobs; always null.
        upserted (int): Records inserted or updated.
    """

    ids: list[UUID]
    job_id: None
    upserted: int

    def to_dict(self) -> dict[str, Any]:
        ids = []
        for ids_item_data in self.ids:
            ids_item = str(ids_item_data)
            ids.append(ids_item)

        job_id = self.job_id

        upserted = self.upserted

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ids": ids,
                "job_id": job_id,
                "upserted": upserted,
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

        job_id = d.pop("job_id")

        upserted = d.pop("upserted")

        batch_upsert_result = cls(
            ids=ids,
            job_id=job_id,
            upserted=upserted,
        )

        return batch_upsert_result
