from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportRequest")


@_attrs_define
class ExportRequest:
    """`POST /api/v1/bases/{baseId}/export`.

    Attributes:
        include_files (bool | Unset): Put the attached files' bytes in the archive too (by default only their metadata).
            Default: False.
    """

    include_files: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        include_files = self.include_files

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if include_files is not UNSET:
            field_dict["include_files"] = include_files

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        include_files = d.pop("include_files", UNSET)

        export_request = cls(
            include_files=include_files,
        )

        return export_request
