from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QuotaStatus")


@_attrs_define
class QuotaStatus:
    """A base's monthly request quota and what is used of it, as the origin last recorded.

    Attributes:
        monthly_limit (int | None): Requests per calendar month (UTC); `None` is unlimited.
        resets_at_ms (int): When the month ends, Unix milliseconds.
        used (int): Requests recorded this month (flushed usage; the edge adds what it has not flushed).
    """

    monthly_limit: int | None
    resets_at_ms: int
    used: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        monthly_limit: int | None
        monthly_limit = self.monthly_limit

        resets_at_ms = self.resets_at_ms

        used = self.used

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "monthly_limit": monthly_limit,
                "resets_at_ms": resets_at_ms,
                "used": used,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_monthly_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        monthly_limit = _parse_monthly_limit(d.pop("monthly_limit"))

        resets_at_ms = d.pop("resets_at_ms")

        used = d.pop("used")

        quota_status = cls(
            monthly_limit=monthly_limit,
            resets_at_ms=resets_at_ms,
            used=used,
        )

        quota_status.additional_properties = d
        return quota_status

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
