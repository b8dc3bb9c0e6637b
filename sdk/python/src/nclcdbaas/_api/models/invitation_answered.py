from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.invitation_answered_status import InvitationAnsweredStatus
from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="InvitationAnswered")


@_attrs_define
class InvitationAnswered:
    """An invitation accepted, declined or revoked.

    Attributes:
        id (UUID):
        status (InvitationAnsweredStatus): Where an invitation stands.
        role (Role | Unset):
        workspace_id (UUID | Unset): The invitation's workspace; when accepted or declined.
    """

    id: UUID
    status: InvitationAnsweredStatus
    role: Role | Unset = UNSET
    workspace_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        status = self.status.value

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        workspace_id: str | Unset = UNSET
        if not isinstance(self.workspace_id, Unset):
            workspace_id = str(self.workspace_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if role is not UNSET:
            field_dict["role"] = role
        if workspace_id is not UNSET:
            field_dict["workspace_id"] = workspace_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        status = InvitationAnsweredStatus(d.pop("status"))

        _role = d.pop("role", UNSET)
        role: Role | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = Role(_role)

        _workspace_id = d.pop("workspace_id", UNSET)
        workspace_id: UUID | Unset
        if isinstance(_workspace_id, Unset):
            workspace_id = UNSET
        else:
            workspace_id = UUID(_workspace_id)

        invitation_answered = cls(
            id=id,
            status=status,
            role=role,
            workspace_id=workspace_id,
        )

        invitation_answered.additional_properties = d
        return invitation_answered

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
