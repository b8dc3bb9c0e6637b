from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quota_status import QuotaStatus


T = TypeVar("T", bound="QuotaSet")


@_attrs_define
class QuotaSet:
    """The base's monthly request quota, and this month's usage against it.

    Attributes:
        base_id (UUID):
        monthly_request_quota (int | None): Requests per calendar month (UTC); null is unlimited.
        quota (QuotaStatus): A base's monthly request quota and what is used of it, as the origin last recorded.
    """

    base_id: UUID
    monthly_request_quota: int | None
    quota: QuotaStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_id = str(self.base_id)

        monthly_request_quota: int | None
        monthly_request_quota = self.monthly_request_quota

        quota = self.quota.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_id": base_id,
                "monthly_request_quota": monthly_request_quota,
                "quota": quota,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.quota_status import QuotaStatus

        d = dict(src_dict)
        base_id = UUID(d.pop("base_id"))

        def _parse_monthly_request_quota(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        monthly_request_quota = _parse_monthly_request_quota(
            d.pop("monthly_request_quota")
        )

        quota = QuotaStatus.from_dict(d.pop("quota"))

        quota_set = cls(
            base_id=base_id,
            monthly_request_quota=monthly_request_quota,
            quota=quota,
        )

        quota_set.additional_properties = d
        return quota_set

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
