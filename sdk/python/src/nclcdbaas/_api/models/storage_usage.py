from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StorageUsage")


@_attrs_define
class StorageUsage:
    """What a base stores and what it may take.

    Attributes:
        base_max_upload_bytes (int | None): The base's own limit (null: the plan's).
        content_types (list[str]): The media types uploads may have; any when empty.
        files (int):
        max_stored_bytes (int | None): The plan's cap on stored bytes; null is unlimited.
        max_upload_bytes (int): The largest upload the base takes now: its own limit within its plan's.
        plan_max_upload_bytes (int): The plan's largest upload.
        stored_bytes (int): Bytes of the base's files in the store: uploads, attachments and jobs' files.
    """

    base_max_upload_bytes: int | None
    content_types: list[str]
    files: int
    max_stored_bytes: int | None
    max_upload_bytes: int
    plan_max_upload_bytes: int
    stored_bytes: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_max_upload_bytes: int | None
        base_max_upload_bytes = self.base_max_upload_bytes

        content_types = self.content_types

        files = self.files

        max_stored_bytes: int | None
        max_stored_bytes = self.max_stored_bytes

        max_upload_bytes = self.max_upload_bytes

        plan_max_upload_bytes = self.plan_max_upload_bytes

        stored_bytes = self.stored_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_max_upload_bytes": base_max_upload_bytes,
                "content_types": content_types,
                "files": files,
                "max_stored_bytes": max_stored_bytes,
                "max_upload_bytes": max_upload_bytes,
                "plan_max_upload_bytes": plan_max_upload_bytes,
                "stored_bytes": stored_bytes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_base_max_upload_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        base_max_upload_bytes = _parse_base_max_upload_bytes(
            d.pop("base_max_upload_bytes")
        )

        content_types = cast(list[str], d.pop("content_types"))

        files = d.pop("files")

        def _parse_max_stored_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_stored_bytes = _parse_max_stored_bytes(d.pop("max_stored_bytes"))

        max_upload_bytes = d.pop("max_upload_bytes")

        plan_max_upload_bytes = d.pop("plan_max_upload_bytes")

        stored_bytes = d.pop("stored_bytes")

        storage_usage = cls(
            base_max_upload_bytes=base_max_upload_bytes,
            content_types=content_types,
            files=files,
            max_stored_bytes=max_stored_bytes,
            max_upload_bytes=max_upload_bytes,
            plan_max_upload_bytes=plan_max_upload_bytes,
            stored_bytes=stored_bytes,
        )

        storage_usage.additional_properties = d
        return storage_usage

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
