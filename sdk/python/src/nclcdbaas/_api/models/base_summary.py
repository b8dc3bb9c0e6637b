from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BaseSummary")


@_attrs_define
class BaseSummary:
    """A base.

    Attributes:
        id (UUID):
        name (str):
        created_at (str | Unset): When it was created; in the list of bases only.
        restoring (bool | Unset): A restore or clone job is filling it: it takes no schema change until that ends.
        workspace_id (UUID | Unset): The base's workspace; in the answer to its creation only.
    """

    id: UUID
    name: str
    created_at: str | Unset = UNSET
    restoring: bool | Unset = UNSET
    workspace_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        created_at = self.created_at

        restoring = self.restoring

        workspace_id: str | Unset = UNSET
        if not isinstance(self.workspace_id, Unset):
            workspace_id = str(self.workspace_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if restoring is not UNSET:
            field_dict["restoring"] = restoring
        if workspace_id is not UNSET:
            field_dict["workspace_id"] = workspace_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        created_at = d.pop("created_at", UNSET)

        restoring = d.pop("restoring", UNSET)

        _workspace_id = d.pop("workspace_id", UNSET)
        workspace_id: UUID | Unset
        if isinstance(_workspace_id, Unset):
            workspace_id = UNSET
        else:
            workspace_id = UUID(_workspace_id)

        base_summary = cls(
            id=id,
            name=name,
            created_at=created_at,
            restoring=restoring,
            workspace_id=workspace_id,
        )

        base_summary.additional_properties = d
        return base_summary

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
