from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.session import Session
    from ..models.user_summary import UserSummary


T = TypeVar("T", bound="Registered")


@_attrs_define
class Registered:
    """The new account, its first workspace and a session.

    Attributes:
        session (Session): A signed-in session.
        user (UserSummary): A user.
        workspace_id (UUID): The workspace the new user owns.
    """

    session: Session
    user: UserSummary
    workspace_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session = self.session.to_dict()

        user = self.user.to_dict()

        workspace_id = str(self.workspace_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "session": session,
                "user": user,
                "workspace_id": workspace_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.session import Session
        from ..models.user_summary import UserSummary

        d = dict(src_dict)
        session = Session.from_dict(d.pop("session"))

        user = UserSummary.from_dict(d.pop("user"))

        workspace_id = UUID(d.pop("workspace_id"))

        registered = cls(
            session=session,
            user=user,
            workspace_id=workspace_id,
        )

        registered.additional_properties = d
        return registered

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
