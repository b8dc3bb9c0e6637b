from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QuotaRequest")


@_attrs_define
class QuotaRequest:
    """
    Attributes:
        monthly_request_quota (int | None):
    """

    monthly_request_quota: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        monthly_request_quota: int | None
        monthly_request_quota = self.monthly_request_quota

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "monthly_request_quota": monthly_request_quota,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_monthly_request_quota(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        monthly_request_quota = _parse_monthly_request_quota(
            d.pop("monthly_request_quota")
        )

        quota_request = cls(
            monthly_request_quota=monthly_request_quota,
        )

        quota_request.additional_properties = d
        return quota_request

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
