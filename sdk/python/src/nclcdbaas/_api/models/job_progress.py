from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobProgress")


@_attrs_define
class JobProgress:
    """
    Attributes:
        bytes_read (int):
        bytes_total (int | None): The source's size, when known: `bytes_read / bytes_total` is the fraction done.
        errors (int): Rejected rows' problems (an import's error report lists them).
        rows_read (int): CSV rows read (import) or records written (export, base export).
        rows_total (int | None): A base export's or restore's records in all: `rows_read` (export) or
            `rows_written` (restore) over it is the fraction done.
        rows_written (int): Records inserted or updated (import; a dry run counts the rows that would be), or
            loaded (base restore).
    """

    bytes_read: int
    bytes_total: int | None
    errors: int
    rows_read: int
    rows_total: int | None
    rows_written: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bytes_read = self.bytes_read

        bytes_total: int | None
        bytes_total = self.bytes_total

        errors = self.errors

        rows_read = self.rows_read

        rows_total: int | None
        rows_total = self.rows_total

        rows_written = self.rows_written

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bytes_read": bytes_read,
                "bytes_total": bytes_total,
                "errors": errors,
                "rows_read": rows_read,
                "rows_total": rows_total,
                "rows_written": rows_written,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        bytes_read = d.pop("bytes_read")

        def _parse_bytes_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        bytes_total = _parse_bytes_total(d.pop("bytes_total"))

        errors = d.pop("errors")

        rows_read = d.pop("rows_read")

        def _parse_rows_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rows_total = _parse_rows_total(d.pop("rows_total"))

        rows_written = d.pop("rows_written")

        job_progress = cls(
            bytes_read=bytes_read,
            bytes_total=bytes_total,
            errors=errors,
            rows_read=rows_read,
            rows_total=rows_total,
            rows_written=rows_written,
        )

        job_progress.additional_properties = d
        return job_progress

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
