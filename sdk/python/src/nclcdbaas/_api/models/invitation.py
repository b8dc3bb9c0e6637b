from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invitation_status import InvitationStatus
from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="Invitation")


@_attrs_define
class Invitation:
    """An invitation to join a workspace with a role; pending until the invitee accepts or
    declines it, or it expires (14 days after it was last sent).

        Attributes:
            created_at (str):
            email (str): Whom it invites: whoever signs in with this email.
            expires_at (str):
            id (UUID):
            role (Role):
            status (InvitationStatus): Where an invitation stands.
            workspace_id (UUID):
            invited_by (UUID | Unset): The user who sent it; in the list of invitations only.
    """

    created_at: str
    email: str
    expires_at: str
    id: UUID
    role: Role
    status: InvitationStatus
    workspace_id: UUID
    invited_by: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        email = self.email

        expires_at = self.expires_at

        id = str(self.id)

        role = self.role.value

        status = self.status.value

        workspace_id = str(self.workspace_id)

        invited_by: str | Unset = UNSET
        if not isinstance(self.invited_by, Unset):
            invited_by = str(self.invited_by)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "email": email,
                "expires_at": expires_at,
                "id": id,
                "role": role,
                "status": status,
                "workspace_id": workspace_id,
            }
        )
        if invited_by is not UNSET:
            field_dict["invited_by"] = invited_by

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        email = d.pop("email")

        expires_at = d.pop("expires_at")

        id = UUID(d.pop("id"))

        role = Role(d.pop("role"))

        status = InvitationStatus(d.pop("status"))

        workspace_id = UUID(d.pop("workspace_id"))

        _invited_by = d.pop("invited_by", UNSET)
        invited_by: UUID | Unset
        if isinstance(_invited_by, Unset):
            invited_by = UNSET
        else:
            invited_by = UUID(_invited_by)

        invitation = cls(
            created_at=created_at,
            email=email,
            expires_at=expires_at,
            id=id,
            role=role,
            status=status,
            workspace_id=workspace_id,
            invited_by=invited_by,
        )

        invitation.additional_properties = d
        return invitation

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
