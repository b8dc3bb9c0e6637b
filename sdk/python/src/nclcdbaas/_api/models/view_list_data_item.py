from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ViewListDataItem")


@_attrs_define
class ViewListDataItem:
    """
    Attributes:
        active_version (int | Unset):
        id (UUID | Unset):
        name (str | Unset):
        pending (bool | Unset):
        published (bool | Unset):
        published_version (int | None | Unset):
        slug (None | str | Unset):
    """

    active_version: int | Unset = UNSET
    id: UUID | Unset = UNSET
    name: str | Unset = UNSET
    pending: bool | Unset = UNSET
    published: bool | Unset = UNSET
    published_version: int | None | Unset = UNSET
    slug: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active_version = self.active_version

        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        name = self.name

        pending = self.pending

        published = self.published

        published_version: int | None | Unset
        if isinstance(self.published_version, Unset):
            published_version = UNSET
        else:
            published_version = self.published_version

        slug: None | str | Unset
        if isinstance(self.slug, Unset):
            slug = UNSET
        else:
            slug = self.slug

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if active_version is not UNSET:
            field_dict["active_version"] = active_version
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if pending is not UNSET:
            field_dict["pending"] = pending
        if published is not UNSET:
            field_dict["published"] = published
        if published_version is not UNSET:
            field_dict["published_version"] = published_version
        if slug is not UNSET:
            field_dict["slug"] = slug

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        active_version = d.pop("active_version", UNSET)

        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id, Unset):
            id = UNSET
        else:
            id = UUID(_id)

        name = d.pop("name", UNSET)

        pending = d.pop("pending", UNSET)

        published = d.pop("published", UNSET)

        def _parse_published_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        published_version = _parse_published_version(d.pop("published_version", UNSET))

        def _parse_slug(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        slug = _parse_slug(d.pop("slug", UNSET))

        view_list_data_item = cls(
            active_version=active_version,
            id=id,
            name=name,
            pending=pending,
            published=published,
            published_version=published_version,
            slug=slug,
        )

        view_list_data_item.additional_properties = d
        return view_list_data_item

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
