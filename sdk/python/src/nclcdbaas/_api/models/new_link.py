from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.on_delete import OnDelete
from ..types import UNSET, Unset

T = TypeVar("T", bound="NewLink")


@_attrs_define
class NewLink:
    """The relation of a new `link` field.

    Attributes:
        table (str): The target table, by id or current name (the field's own table for a self-link).
        display (None | str | Unset): The target field that names a record in the console, by id or name (default: the
            target's first text field).
        on_delete (OnDelete | Unset):
    """

    table: str
    display: None | str | Unset = UNSET
    on_delete: OnDelete | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        table = self.table

        display: None | str | Unset
        if isinstance(self.display, Unset):
            display = UNSET
        else:
            display = self.display

        on_delete: str | Unset = UNSET
        if not isinstance(self.on_delete, Unset):
            on_delete = self.on_delete.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "table": table,
            }
        )
        if display is not UNSET:
            field_dict["display"] = display
        if on_delete is not UNSET:
            field_dict["on_delete"] = on_delete

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        table = d.pop("table")

        def _parse_display(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display = _parse_display(d.pop("display", UNSET))

        _on_delete = d.pop("on_delete", UNSET)
        on_delete: OnDelete | Unset
        if isinstance(_on_delete, Unset):
            on_delete = UNSET
        else:
            on_delete = OnDelete(_on_delete)

        new_link = cls(
            table=table,
            display=display,
            on_delete=on_delete,
        )

        return new_link
