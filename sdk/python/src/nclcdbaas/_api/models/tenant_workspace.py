from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tenant_base import TenantBase
    from ..models.tenant_member import TenantMember


T = TypeVar("T", bound="TenantWorkspace")


@_attrs_define
class TenantWorkspace:
    """A workspace of a tenant.

    Attributes:
        bases (list[TenantBase]):
        created_at (str):
        id (UUID):
        members (list[TenantMember]):
        name (str):
    """

    bases: list[TenantBase]
    created_at: str
    id: UUID
    members: list[TenantMember]
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bases = []
        for bases_item_data in self.bases:
            bases_item = bases_item_data.to_dict()
            bases.append(bases_item)

        created_at = self.created_at

        id = str(self.id)

        members = []
        for members_item_data in self.members:
            members_item = members_item_data.to_dict()
            members.append(members_item)

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bases": bases,
                "created_at": created_at,
                "id": id,
                "members": members,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tenant_base import TenantBase
        from ..models.tenant_member import TenantMember

        d = dict(src_dict)
        bases = []
        _bases = d.pop("bases")
        for bases_item_data in _bases:
            bases_item = TenantBase.from_dict(bases_item_data)

            bases.append(bases_item)

        created_at = d.pop("created_at")

        id = UUID(d.pop("id"))

        members = []
        _members = d.pop("members")
        for members_item_data in _members:
            members_item = TenantMember.from_dict(members_item_data)

            members.append(members_item)

        name = d.pop("name")

        tenant_workspace = cls(
            bases=bases,
            created_at=created_at,
            id=id,
            members=members,
            name=name,
        )

        tenant_workspace.additional_properties = d
        return tenant_workspace

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
