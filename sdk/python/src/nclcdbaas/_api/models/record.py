from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.record_included_type_0 import RecordIncludedType0
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
        included (None | RecordIncludedType0 | Unset): Only with `include=`: each relation by the name it was asked by.
            A link field
            (`customer`) holds the linked record, or null; a reverse link (`orders.customer`)
            holds `{"data": [records], "has_more"}`, the first 25 (`REVERSE_PAGE`) linking records, oldest first
            (the rest: `GET /v1/tables/orders/records?filter[customer][eq]=<id>`).
    """

    created_at: datetime.datetime
    id: UUID
    updated_at: datetime.datetime
    values: Values
    included: None | RecordIncludedType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.record_included_type_0 import RecordIncludedType0

        created_at = self.created_at.isoformat()

        id = str(self.id)

        updated_at = self.updated_at.isoformat()

        values = self.values.to_dict()

        included: dict[str, Any] | None | Unset
        if isinstance(self.included, Unset):
            included = UNSET
        elif isinstance(self.included, RecordIncludedType0):
            included = self.included.to_dict()
        else:
            included = self.included

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "updated_at": updated_at,
                "values": values,
            }
        )
        if included is not UNSET:
            field_dict["included"] = included

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.record_included_type_0 import RecordIncludedType0
        from ..models.values import Values

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        values = Values.from_dict(d.pop("values"))

        def _parse_included(data: object) -> None | RecordIncludedType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                included_type_0 = RecordIncludedType0.from_dict(data)

                return included_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RecordIncludedType0 | Unset, data)

        included = _parse_included(d.pop("included", UNSET))

        record = cls(
            created_at=created_at,
            id=id,
            updated_at=updated_at,
            values=values,
            included=included,
        )

        return record
