from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PurgeRequest")


@_attrs_define
class PurgeRequest:
    """What a purge names: the dropped item, by the id `GET …/dropped` lists.

    Attributes:
        confirm (str): The dropped table's or field's name, typed again: a purge cannot be undone.
    """

    confirm: str

    def to_dict(self) -> dict[str, Any]:
        confirm = self.confirm

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "confirm": confirm,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        confirm = d.pop("confirm")

        purge_request = cls(
            confirm=confirm,
        )

        return purge_request
