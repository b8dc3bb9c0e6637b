from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rate_limit import RateLimit


T = TypeVar("T", bound="Plan")


@_attrs_define
class Plan:
    """A plan: the default rate limit and quota of its tenants' bases, and what it lets them create.

    Attributes:
        audit_retention_days (int):
        change_log_retention_days (int):
        max_bases_per_workspace (int):
        max_fields_per_table (int):
        max_stored_bytes (int | None): Bytes of files a base may store; null is unlimited.
        max_tables_per_base (int):
        max_upload_bytes (int):
        max_views_per_base (int):
        monthly_requests (int | None): Requests per base per calendar month; null is unlimited.
        name (str):
        rate_limit (RateLimit): Requests allowed per sliding window.
        tenants (int): Tenants on the plan.
    """

    audit_retention_days: int
    change_log_retention_days: int
    max_bases_per_workspace: int
    max_fields_per_table: int
    max_stored_bytes: int | None
    max_tables_per_base: int
    max_upload_bytes: int
    max_views_per_base: int
    monthly_requests: int | None
    name: str
    rate_limit: RateLimit
    tenants: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audit_retention_days = self.audit_retention_days

        change_log_retention_days = self.change_log_retention_days

        max_bases_per_workspace = self.max_bases_per_workspace

        max_fields_per_table = self.max_fields_per_table

        max_stored_bytes: int | None
        max_stored_bytes = self.max_stored_bytes

        max_tables_per_base = self.max_tables_per_base

        max_upload_bytes = self.max_upload_bytes

        max_views_per_base = self.max_views_per_base

        monthly_requests: int | None
        monthly_requests = self.monthly_requests

        name = self.name

        rate_limit = self.rate_limit.to_dict()

        tenants = self.tenants

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audit_retention_days": audit_retention_days,
                "change_log_retention_days": change_log_retention_days,
                "max_bases_per_workspace": max_bases_per_workspace,
                "max_fields_per_table": max_fields_per_table,
                "max_stored_bytes": max_stored_bytes,
                "max_tables_per_base": max_tables_per_base,
                "max_upload_bytes": max_upload_bytes,
                "max_views_per_base": max_views_per_base,
                "monthly_requests": monthly_requests,
                "name": name,
                "rate_limit": rate_limit,
                "tenants": tenants,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.rate_limit import RateLimit

        d = dict(src_dict)
        audit_retention_days = d.pop("audit_retention_days")

        change_log_retention_days = d.pop("change_log_retention_days")

        max_bases_per_workspace = d.pop("max_bases_per_workspace")

        max_fields_per_table = d.pop("max_fields_per_table")

        def _parse_max_stored_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_stored_bytes = _parse_max_stored_bytes(d.pop("max_stored_bytes"))

        max_tables_per_base = d.pop("max_tables_per_base")

        max_upload_bytes = d.pop("max_upload_bytes")

        max_views_per_base = d.pop("max_views_per_base")

        def _parse_monthly_requests(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        monthly_requests = _parse_monthly_requests(d.pop("monthly_requests"))

        name = d.pop("name")

        rate_limit = RateLimit.from_dict(d.pop("rate_limit"))

        tenants = d.pop("tenants")

        plan = cls(
            audit_retention_days=audit_retention_days,
            change_log_retention_days=change_log_retention_days,
            max_bases_per_workspace=max_bases_per_workspace,
            max_fields_per_table=max_fields_per_table,
            max_stored_bytes=max_stored_bytes,
            max_tables_per_base=max_tables_per_base,
            max_upload_bytes=max_upload_bytes,
            max_views_per_base=max_views_per_base,
            monthly_requests=monthly_requests,
            name=name,
            rate_limit=rate_limit,
            tenants=tenants,
        )

        plan.additional_properties = d
        return plan

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
