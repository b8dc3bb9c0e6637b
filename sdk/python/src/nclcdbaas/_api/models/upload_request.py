from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadRequest")


@_attrs_define
class UploadRequest:
    """`POST /v1/files:signUpload`: announces a file.

    Attributes:
        content_type (str): Its media type, e.g. `text/csv`; the upload must send the same `Content-Type`.
        name (str): The file's name, as shown and as downloads suggest it (1–255 characters).
        size (int): Its exact size in bytes; the store refuses an upload of another size.
        sha256 (None | str | Unset): Its SHA-256, 64 hex digits; checked when the file is first used.
    """

    content_type: str
    name: str
    size: int
    sha256: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        content_type = self.content_type

        name = self.name

        size = self.size

        sha256: None | str | Unset
        if isinstance(self.sha256, Unset):
            sha256 = UNSET
        else:
            sha256 = self.sha256

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "content_type": content_type,
                "name": name,
                "size": size,
            }
        )
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        content_type = d.pop("content_type")

        name = d.pop("name")

        size = d.pop("size")

        def _parse_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sha256 = _parse_sha256(d.pop("sha256", UNSET))

        upload_request = cls(
            content_type=content_type,
            name=name,
            size=size,
            sha256=sha256,
        )

        return upload_request
