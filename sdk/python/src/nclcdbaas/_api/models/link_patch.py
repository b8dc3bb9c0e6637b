from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.on_delete import OnDelete
from ..types import UNSET, Unset

T = TypeVar("T", bound="LinkPatch")


@_attrs_define
class LinkPatch:
    """What a `PATCH` changes in a link; absent members stay as they are.

    Attributes:
        display (None | str | Unset):
        on_delete (None | OnDelete | Unset):
    """

    display: None | str | Unset = UNSET
    on_delete: None | OnDelete | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        display: None | str | Unset
        if isinstance(self.display, Unset):
            display = UNSET
        else:
            display = self.display

        on_delete: None | str | Unset
        if isinstance(self.on_delete, Unset):
            on_delete = UNSET
        elif isinstance(self.on_delete, OnDelete):
            on_delete = self.on_delete.value
        else:
            on_delete = self.on_delete

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if display is not UNSET:
            field_dict["display"] = display
        if on_delete is not UNSET:
            field_dict["on_delete"] = on_delete

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_display(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display = _parse_display(d.pop("display", UNSET))

        def _parse_on_delete(data: object) -> None | OnDelete | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                on_delete_type_0 = OnDelete(data)

                return on_delete_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OnDelete | Unset, data)

        on_delete = _parse_on_delete(d.pop("on_delete", UNSET))

        link_patch = cls(
            display=display,
            on_delete=on_delete,
        )

        return link_patch
