from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CreatedViewKey")


@_attrs_define
class CreatedViewKey:
    """A new key of a view published with `view_key` auth, with its secret.

    Attributes:
        base_id (UUID):
        id (UUID):
        key (str): `nv_<id>_<secret>`: shown in this answer only; send it as `Authorization: Bearer <key>`.
        name (str):
        slug (None | str): The view's slug; null if it was never published.
        view_id (UUID):
    """

    base_id: UUID
    id: UUID
    key: str
    name: str
    slug: None | str
    view_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_id = str(self.base_id)

        id = str(self.id)

        key = self.key

        name = self.name

        slug: None | str
        slug = self.slug

        view_id = str(self.view_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_id": base_id,
                "id": id,
                "key": key,
                "name": name,
                "slug": slug,
                "view_id": view_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        base_id = UUID(d.pop("base_id"))

        id = UUID(d.pop("id"))

        key = d.pop("key")

        name = d.pop("name")

        def _parse_slug(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        slug = _parse_slug(d.pop("slug"))

        view_id = UUID(d.pop("view_id"))

        created_view_key = cls(
            base_id=base_id,
            id=id,
            key=key,
            name=name,
            slug=slug,
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
