from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.on_delete import OnDelete

T = TypeVar("T", bound="LinkInfo")


@_attrs_define
class LinkInfo:
    """The relation of a link field (many-to-one).

    Attributes:
        display_field_id (None | UUID): The target field that names a linked record (its id stays valid across renames).
        on_delete (OnDelete):
        table (str): The target table's current name.
        table_id (UUID):
    """

    display_field_id: None | UUID
    on_delete: OnDelete
    table: str
    table_id: UUID

    def to_dict(self) -> dict[str, Any]:
        display_field_id: None | str
        if isinstance(self.display_field_id, UUID):
            display_field_id = str(self.display_field_id)
        else:
            display_field_id = self.display_field_id

        on_delete = self.on_delete.value

        table = self.table

        table_id = str(self.table_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "display_field_id": display_field_id,
                "on_delete": on_delete,
                "table": table,
                "table_id": table_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_display_field_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                display_field_id_type_0 = UUID(data)

                return display_field_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        display_field_id = _parse_display_field_id(d.pop("display_field_id"))

        on_delete = OnDelete(d.pop("on_delete"))

        table = d.pop("table")

        table_id = UUID(d.pop("table_id"))

        link_info = cls(
            display_field_id=display_field_id,
            on_delete=on_delete,
            table=table,
            table_id=table_id,
        )

        return link_info
