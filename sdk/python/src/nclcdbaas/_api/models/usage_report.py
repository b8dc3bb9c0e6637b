from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quota_status import QuotaStatus
    from ..models.storage_usage import StorageUsage
    from ..models.usage_day import UsageDay


T = TypeVar("T", bound="UsageReport")


@_attrs_define
class UsageReport:
    """A base's usage: this month against its quota, and the last 31 days per principal.

    Attributes:
        base_id (UUID):
        days (list[UsageDay]): Newest day first.
        quota (QuotaStatus): A base's monthly request quota and what is used of it, as the origin last recorded.
        storage (StorageUsage): What a base stores and what it may take.
    """

    base_id: UUID
    days: list[UsageDay]
    quota: QuotaStatus
    storage: StorageUsage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_id = str(self.base_id)

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.to_dict()
            days.append(days_item)

        quota = self.quota.to_dict()

        storage = self.storage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_id": base_id,
                "days": days,
                "quota": quota,
                "storage": storage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.quota_status import QuotaStatus
        from ..models.storage_usage import StorageUsage
        from ..models.usage_day import UsageDay

        d = dict(src_dict)
        base_id = UUID(d.pop("base_id"))

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = UsageDay.from_dict(days_item_data)

            days.append(days_item)

        quota = QuotaStatus.from_dict(d.pop("quota"))

        storage = StorageUsage.from_dict(d.pop("storage"))

        usage_report = cls(
            base_id=base_id,
            days=days,
            quota=quota,
            storage=storage,
        )

        usage_report.additional_properties = d
        return usage_report

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
