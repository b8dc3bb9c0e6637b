from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Restored")


@_attrs_define
class Restored:
    """What a restore made, and what it left for an admin to do.

    Attributes:
        files (int): Attached files restored with their bytes.
        files_omitted (int): Attachments left out, because the archive holds no bytes for them (their fields
            are empty in the new base).
        records (int):
        source (UUID): The base the archive was exported from.
        tables (int):
        tokens_not_restored (int): Tokens and view keys are not restored (their secrets are not in an archive):
            make new ones.
        view_keys_not_restored (int):
        views_to_publish (list[str]): Views that were published: publish them again (a public URL names one base).
        webhooks_disabled (int): Webhooks are restored disabled, with a new secret: enable each after taking it.
    """

    files: int
    files_omitted: int
    records: int
    source: UUID
    tables: int
    tokens_not_restored: int
    view_keys_not_restored: int
    views_to_publish: list[str]
    webhooks_disabled: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        files = self.files

        files_omitted = self.files_omitted

        records = self.records

        source = str(self.source)

        tables = self.tables

        tokens_not_restored = self.tokens_not_restored

        view_keys_not_restored = self.view_keys_not_restored

        views_to_publish = self.views_to_publish

        webhooks_disabled = self.webhooks_disabled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "files": files,
                "files_omitted": files_omitted,
                "records": records,
                "source": source,
                "tables": tables,
                "tokens_not_restored": tokens_not_restored,
                "view_keys_not_restored": view_keys_not_restored,
                "views_to_publish": views_to_publish,
                "webhooks_disabled": webhooks_disabled,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        files = d.pop("files")

        files_omitted = d.pop("files_omitted")

        records = d.pop("records")

        source = UUID(d.pop("source"))

        tables = d.pop("tables")

        tokens_not_restored = d.pop("tokens_not_restored")

        view_keys_not_restored = d.pop("view_keys_not_restored")

        views_to_publish = cast(list[str], d.pop("views_to_publish"))

        webhooks_disabled = d.pop("webhooks_disabled")

        restored = cls(
            files=files,
            files_omitted=files_omitted,
            records=records,
            source=source,
            tables=tables,
            tokens_not_restored=tokens_not_restored,
            view_keys_not_restored=view_keys_not_restored,
            views_to_publish=views_to_publish,
            webhooks_disabled=webhooks_disabled,
        )

        restored.additional_properties = d
        return restored

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
