from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quota_status import QuotaStatus


T = TypeVar("T", bound="TenantBase")


@_attrs_define
class TenantBase:
    """A base of a tenant with its usage this month.

    Attributes:
        created_at (str):
        id (UUID):
        name (str):
        quota (QuotaStatus): A base's monthly request quota and what is used of it, as the origin last recorded.
        tables (int):
    """

    created_at: str
    id: UUID
    name: str
    quota: QuotaStatus
    tables: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = str(self.id)

        name = self.name

        quota = self.quota.to_dict()

        tables = self.tables

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "name": name,
                "quota": quota,
                "tables": tables,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.quota_status import QuotaStatus

        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        quota = QuotaStatus.from_dict(d.pop("quota"))

        tables = d.pop("tables")

        tenant_base = cls(
            created_at=created_at,
            id=id,
            name=name,
            quota=quota,
            tables=tables,
        )

        tenant_base.additional_properties = d
        return tenant_base

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
