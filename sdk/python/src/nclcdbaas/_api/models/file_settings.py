from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FileSettings")


@_attrs_define
class FileSettings:
    """A base's own upload settings (`PUT /api/v1/bases/{baseId}/files/settings`), within
    its plan's limits.

        Attributes:
            content_types (list[str] | Unset): The media types uploads may have (`image/png`, `image/*`); any when empty.
            max_upload_bytes (int | None | Unset): The largest upload in bytes; `null` takes the plan's.
    """

    content_types: list[str] | Unset = UNSET
    max_upload_bytes: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        content_types: list[str] | Unset = UNSET
        if not isinstance(self.content_types, Unset):
            content_types = self.content_types

        max_upload_bytes: int | None | Unset
        if isinstance(self.max_upload_bytes, Unset):
            max_upload_bytes = UNSET
        else:
            max_upload_bytes = self.max_upload_bytes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if content_types is not UNSET:
            field_dict["content_types"] = content_types
        if max_upload_bytes is not UNSET:
            field_dict["max_upload_bytes"] = max_upload_bytes

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        content_types = cast(list[str], d.pop("content_types", UNSET))

        def _parse_max_upload_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_upload_bytes = _parse_max_upload_bytes(d.pop("max_upload_bytes", UNSET))

        file_settings = cls(
            content_types=content_types,
            max_upload_bytes=max_upload_bytes,
        )

        return file_settings
