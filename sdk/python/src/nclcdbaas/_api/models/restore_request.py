from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.archive_source import ArchiveSource


T = TypeVar("T", bound="RestoreRequest")


@_attrs_define
class RestoreRequest:
    """`POST /api/v1/workspaces/{workspaceId}/bases:restore`.

    Attributes:
        from_ (ArchiveSource): Where a restore reads its archive.
        name (str): The new base's name.
    """

    from_: ArchiveSource
    name: str

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.to_dict()

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.archive_source import ArchiveSource

        d = dict(src_dict)
        from_ = ArchiveSource.from_dict(d.pop("from"))

        name = d.pop("name")

        restore_request = cls(
            from_=from_,
            name=name,
        )

        return restore_request
