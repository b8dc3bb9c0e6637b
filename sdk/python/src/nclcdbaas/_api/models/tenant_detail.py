from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.plan import Plan
    from ..models.tenant_summary import TenantSummary
    from ..models.tenant_workspace import TenantWorkspace


T = TypeVar("T", bound="TenantDetail")


@_attrs_define
class TenantDetail:
    """A tenant with its plan, workspaces, members and bases.

    Attributes:
        plan (Plan): A plan: the default rate limit and quota of its tenants' bases, and what it lets them create.
        tenant (TenantSummary): A tenant as the platform's operators see it.
        workspaces (list[TenantWorkspace]): Oldest first.
    """

    plan: Plan
    tenant: TenantSummary
    workspaces: list[TenantWorkspace]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        plan = self.plan.to_dict()

        tenant = self.tenant.to_dict()

        workspaces = []
        for workspaces_item_data in self.workspaces:
            workspaces_item = workspaces_item_data.to_dict()
            workspaces.append(workspaces_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "plan": plan,
                "tenant": tenant,
                "workspaces": workspaces,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.plan import Plan
        from ..models.tenant_summary import TenantSummary
        from ..models.tenant_workspace import TenantWorkspace

        d = dict(src_dict)
        plan = Plan.from_dict(d.pop("plan"))

        tenant = TenantSummary.from_dict(d.pop("tenant"))

        workspaces = []
        _workspaces = d.pop("workspaces")
        for workspaces_item_data in _workspaces:
            workspaces_item = TenantWorkspace.from_dict(workspaces_item_data)

            workspaces.append(workspaces_item)

        tenant_detail = cls(
            plan=plan,
            tenant=tenant,
            workspaces=workspaces,
        )

        tenant_detail.additional_properties = d
        return tenant_detail

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
