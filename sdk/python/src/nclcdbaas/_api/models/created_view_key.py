from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreatedViewKey")


@_attrs_define
class CreatedViewKey:
    """
    Attributes:
        id (UUID):
        key (str): `nv_<id>_<secret>`: shown in this answer only.
        name (str | Unset):
        view_id (UUID | Unset):
    """

    id: UUID
    key: str
    name: str | Unset = UNSET
    view_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        key = self.key

        name = self.name

        view_id: str | Unset = UNSET
        if not isinstance(self.view_id, Unset):
            view_id = str(self.view_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "key": key,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if view_id is not UNSET:
            field_dict["view_id"] = view_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        key = d.pop("key")

        name = d.pop("name", UNSET)

        _view_id = d.pop("view_id", UNSET)
        view_id: UUID | Unset
        if isinstance(_view_id, Unset):
            view_id = UNSET
        else:
            view_id = UUID(_view_id)

        created_view_key = cls(
            id=id,
            key=key,
            name=name,
            view_id=view_id,
        )

        created_view_key.additional_properties = d
        return created_view_key

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
