from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ViewSummary")


@_attrs_define
class ViewSummary:
    """A view, without its definition and versions.

    Attributes:
        active_version (int): The version being edited.
        id (UUID):
        name (str):
        pending (bool): Published, and the edited version is not the one served.
        published (bool):
        published_version (int | None): The version the slug serves; null when not published.
        slug (None | str): The slug it is (or was last) published under; null if it never was.
    """

    active_version: int
    id: UUID
    name: str
    pending: bool
    published: bool
    published_version: int | None
    slug: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active_version = self.active_version

        id = str(self.id)

        name = self.name

        pending = self.pending

        published = self.published

        published_version: int | None
        published_version = self.published_version

        slug: None | str
        slug = self.slug

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active_version": active_version,
                "id": id,
                "name": name,
                "pending": pending,
                "published": published,
                "published_version": published_version,
                "slug": slug,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        active_version = d.pop("active_version")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        pending = d.pop("pending")

        published = d.pop("published")

        def _parse_published_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        published_version = _parse_published_version(d.pop("published_version"))

        def _parse_slug(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        slug = _parse_slug(d.pop("slug"))

        view_summary = cls(
            active_version=active_version,
            id=id,
            name=name,
            pending=pending,
            published=published,
            published_version=published_version,
            slug=slug,
        )

        view_summary.additional_properties = d
        return view_summary

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
