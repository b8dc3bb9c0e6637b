from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.restored import Restored


T = TypeVar("T", bound="JobResult")


@_attrs_define
class JobResult:
    """
    Attributes:
        download_url (None | str): An export's CSV or archive, signed for a short while (ask the job again for a
            fresh address).
        errors_url (None | str): An import's rejected rows as CSV: `line,field,code,message`.
        expires_at (datetime.datetime | None):
        ignored_columns (list[str] | Unset): Import: CSV columns that went to no field.
        restored (None | Restored | Unset): Restore and clone: what the new base holds, and what it left for an admin to
            do.
    """

    download_url: None | str
    errors_url: None | str
    expires_at: datetime.datetime | None
    ignored_columns: list[str] | Unset = UNSET
    restored: None | Restored | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.restored import Restored

        download_url: None | str
        download_url = self.download_url

        errors_url: None | str
        errors_url = self.errors_url

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        ignored_columns: list[str] | Unset = UNSET
        if not isinstance(self.ignored_columns, Unset):
            ignored_columns = self.ignored_columns

        restored: dict[str, Any] | None | Unset
        if isinstance(self.restored, Unset):
            restored = UNSET
        elif isinstance(self.restored, Restored):
            restored = self.restored.to_dict()
        else:
            restored = self.restored

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "download_url": download_url,
                "errors_url": errors_url,
                "expires_at": expires_at,
            }
        )
        if ignored_columns is not UNSET:
            field_dict["ignored_columns"] = ignored_columns
        if restored is not UNSET:
            field_dict["restored"] = restored

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.restored import Restored

        d = dict(src_dict)

        def _parse_download_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        download_url = _parse_download_url(d.pop("download_url"))

        def _parse_errors_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        errors_url = _parse_errors_url(d.pop("errors_url"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        ignored_columns = cast(list[str], d.pop("ignored_columns", UNSET))

        def _parse_restored(data: object) -> None | Restored | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                restored_type_0 = Restored.from_dict(data)

                return restored_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Restored | Unset, data)

        restored = _parse_restored(d.pop("restored", UNSET))

        job_result = cls(
            download_url=download_url,
            errors_url=errors_url,
            expires_at=expires_at,
            ignored_columns=ignored_columns,
            restored=restored,
        )

        job_result.additional_properties = d
        return job_result

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
