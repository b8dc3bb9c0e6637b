from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TenantSummary")


@_attrs_define
class TenantSummary:
    """A tenant as the platform's operators see it.

    Attributes:
        bases (int):
        created_at (str):
        id (UUID):
        members (int):
        name (str):
        plan (str):
        requests_this_month (int): Requests recorded this calendar month (UTC) across its bases.
        suspended_at (None | str): When the operators suspended it; null while it is active.
        suspended_reason (None | str): What the operator who suspended it wrote.
        workspaces (int): Live workspaces and bases, and distinct members across its workspaces.
    """

    bases: int
    created_at: str
    id: UUID
    members: int
    name: str
    plan: str
    requests_this_month: int
    suspended_at: None | str
    suspended_reason: None | str
    workspaces: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bases = self.bases

        created_at = self.created_at

        id = str(self.id)

        members = self.members

        name = self.name

        plan = self.plan

        requests_this_month = self.requests_this_month

        suspended_at: None | str
        suspended_at = self.suspended_at

        suspended_reason: None | str
        suspended_reason = self.suspended_reason

        workspaces = self.workspaces

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bases": bases,
                "created_at": created_at,
                "id": id,
                "members": members,
                "name": name,
                "plan": plan,
                "requests_this_month": requests_this_month,
                "suspended_at": suspended_at,
                "suspended_reason": suspended_reason,
                "workspaces": workspaces,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        bases = d.pop("bases")

        created_at = d.pop("created_at")

        id = UUID(d.pop("id"))

        members = d.pop("members")

        name = d.pop("name")

        plan = d.pop("plan")

        requests_this_month = d.pop("requests_this_month")

        def _parse_suspended_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        suspended_at = _parse_suspended_at(d.pop("suspended_at"))

        def _parse_suspended_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        suspended_reason = _parse_suspended_reason(d.pop("suspended_reason"))

        workspaces = d.pop("workspaces")

        tenant_summary = cls(
            bases=bases,
            created_at=created_at,
            id=id,
            members=members,
            name=name,
            plan=plan,
            requests_this_month=requests_this_month,
            suspended_at=suspended_at,
            suspended_reason=suspended_reason,
            workspaces=workspaces,
        )

        tenant_summary.additional_properties = d
        return tenant_summary

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
