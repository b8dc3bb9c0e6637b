from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UndoRequest")


@_attrs_define
class UndoRequest:
    """`POST /api/v1/bases/{baseId}/changes:undo`: undo everything written to the base after
    `after`.

        Attributes:
            after (str): RFC 3339: changes logged after this time are undone; records go back to what they
                were at this time.
            dry_run (bool | Unset): Only answer what the undo would write, and write nothing. Default: False.
            through (int | None | Unset): The `through` of a preview: the undo covers the changes the preview saw, and is
                refused (412) if a record it covers was written since.
    """

    after: str
    dry_run: bool | Unset = False
    through: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        after = self.after

        dry_run = self.dry_run

        through: int | None | Unset
        if isinstance(self.through, Unset):
            through = UNSET
        else:
            through = self.through

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "after": after,
            }
        )
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run
        if through is not UNSET:
            field_dict["through"] = through

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        after = d.pop("after")

        dry_run = d.pop("dry_run", UNSET)

        def _parse_through(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        through = _parse_through(d.pop("through", UNSET))

        undo_request = cls(
            after=after,
            dry_run=dry_run,
            through=through,
        )

        return undo_request
