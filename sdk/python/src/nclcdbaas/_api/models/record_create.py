from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.values import Values


T = TypeVar("T", bound="RecordCreate")


@_attrs_define
class RecordCreate:
    """A new record (or, in a batch upsert, a record to insert or update).

    Attributes:
        values (Values): Field name → value. In a create or an upsert item, every required field must be given;
            a name that is not a field of the table is a 422.
        id (None | Unset | UUID): Optional client-chosen id (409 `DUPLICATE_RECORD` if taken); generated when left out
            or `null`. In an upsert without `unique`, the record to update.
    """

    values: Values
    id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        values = self.values.to_dict()

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

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

        def _parse_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        id = _parse_id(d.pop("id", UNSET))

        record_create = cls(
            values=values,
            id=id,
        )

        return record_create
