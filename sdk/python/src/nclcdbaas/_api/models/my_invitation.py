from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.my_invitation_status import MyInvitationStatus
from ..models.role import Role

if TYPE_CHECKING:
    from ..models.inviter import Inviter


T = TypeVar("T", bound="MyInvitation")


@_attrs_define
class MyInvitation:
    """An invitation waiting for the signed-in user, with who sent it.

    Attributes:
        created_at (str):
        expires_at (str):
        id (UUID):
        invited_by (Inviter): Who sent an invitation.
        role (Role):
        status (MyInvitationStatus): Where an invitation stands.
        workspace_id (UUID):
        workspace_name (str):
    """

    created_at: str
    expires_at: str
    id: UUID
    invited_by: Inviter
    role: Role
    status: MyInvitationStatus
    workspace_id: UUID
    workspace_name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        expires_at = self.expires_at

        id = str(self.id)

        invited_by = self.invited_by.to_dict()

        role = self.role.value

        status = self.status.value

        workspace_id = str(self.workspace_id)

        workspace_name = self.workspace_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "expires_at": expires_at,
                "id": id,
                "invited_by": invited_by,
                "role": role,
                "status": status,
                "workspace_id": workspace_id,
                "workspace_name": workspace_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.inviter import Inviter

        d = dict(src_dict)
        created_at = d.pop("created_at")

        expires_at = d.pop("expires_at")

        id = UUID(d.pop("id"))

        invited_by = Inviter.from_dict(d.pop("invited_by"))

        role = Role(d.pop("role"))

        status = MyInvitationStatus(d.pop("status"))

        workspace_id = UUID(d.pop("workspace_id"))

        workspace_name = d.pop("workspace_name")

        my_invitation = cls(
            created_at=created_at,
            expires_at=expires_at,
            id=id,
            invited_by=invited_by,
            role=role,
            status=status,
            workspace_id=workspace_id,
            workspace_name=workspace_name,
        )

        my_invitation.additional_properties = d
        return my_invitation

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
