from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.view_auth import ViewAuth
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cache_policy import CachePolicy
    from ..models.view_definition import ViewDefinition
    from ..models.view_published_definition_type_0 import ViewPublishedDefinitionType0
    from ..models.view_versions_item import ViewVersionsItem


T = TypeVar("T", bound="View")


@_attrs_define
class View:
    """
    Attributes:
        active_version (int): The version being edited.
        definition (ViewDefinition):
        id (UUID):
        name (str):
        published (bool):
        versions (list[ViewVersionsItem]):
        auth (ViewAuth | Unset):
        base_id (UUID | Unset):
        cache (CachePolicy | Unset):
        created_at (str | Unset):
        pending (bool | Unset): Published, and the edited version is not the one served.
        published_definition (None | Unset | ViewPublishedDefinitionType0):
        published_version (int | None | Unset): The version the slug serves.
        slug (None | str | Unset):
        url (None | str | Unset):
    """

    active_version: int
    definition: ViewDefinition
    id: UUID
    name: str
    published: bool
    versions: list[ViewVersionsItem]
    auth: ViewAuth | Unset = UNSET
    base_id: UUID | Unset = UNSET
    cache: CachePolicy | Unset = UNSET
    created_at: str | Unset = UNSET
    pending: bool | Unset = UNSET
    published_definition: None | Unset | ViewPublishedDefinitionType0 = UNSET
    published_version: int | None | Unset = UNSET
    slug: None | str | Unset = UNSET
    url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.view_published_definition_type_0 import (
            ViewPublishedDefinitionType0,
        )

        active_version = self.active_version

        definition = self.definition.to_dict()

        id = str(self.id)

        name = self.name

        published = self.published

        versions = []
        for versions_item_data in self.versions:
            versions_item = versions_item_data.to_dict()
            versions.append(versions_item)

        auth: str | Unset = UNSET
        if not isinstance(self.auth, Unset):
            auth = self.auth.value

        base_id: str | Unset = UNSET
        if not isinstance(self.base_id, Unset):
            base_id = str(self.base_id)

        cache: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cache, Unset):
            cache = self.cache.to_dict()

        created_at = self.created_at

        pending = self.pending

        published_definition: dict[str, Any] | None | Unset
        if isinstance(self.published_definition, Unset):
            published_definition = UNSET
        elif isinstance(self.published_definition, ViewPublishedDefinitionType0):
            published_definition = self.published_definition.to_dict()
        else:
            published_definition = self.published_definition

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

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active_version": active_version,
                "definition": definition,
                "id": id,
                "name": name,
                "published": published,
                "versions": versions,
            }
        )
        if auth is not UNSET:
            field_dict["auth"] = auth
        if base_id is not UNSET:
            field_dict["base_id"] = base_id
        if cache is not UNSET:
            field_dict["cache"] = cache
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if pending is not UNSET:
            field_dict["pending"] = pending
        if published_definition is not UNSET:
            field_dict["published_definition"] = published_definition
        if published_version is not UNSET:
            field_dict["published_version"] = published_version
        if slug is not UNSET:
            field_dict["slug"] = slug
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cache_policy import CachePolicy
        from ..models.view_definition import ViewDefinition
        from ..models.view_published_definition_type_0 import (
            ViewPublishedDefinitionType0,
        )
        from ..models.view_versions_item import ViewVersionsItem

        d = dict(src_dict)
        active_version = d.pop("active_version")

        definition = ViewDefinition.from_dict(d.pop("definition"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        published = d.pop("published")

        versions = []
        _versions = d.pop("versions")
        for versions_item_data in _versions:
            versions_item = ViewVersionsItem.from_dict(versions_item_data)

            versions.append(versions_item)

        _auth = d.pop("auth", UNSET)
        auth: ViewAuth | Unset
        if isinstance(_auth, Unset):
            auth = UNSET
        else:
            auth = ViewAuth(_auth)

        _base_id = d.pop("base_id", UNSET)
        base_id: UUID | Unset
        if isinstance(_base_id, Unset):
            base_id = UNSET
        else:
            base_id = UUID(_base_id)

        _cache = d.pop("cache", UNSET)
        cache: CachePolicy | Unset
        if isinstance(_cache, Unset):
            cache = UNSET
        else:
            cache = CachePolicy.from_dict(_cache)

        created_at = d.pop("created_at", UNSET)

        pending = d.pop("pending", UNSET)

        def _parse_published_definition(
            data: object,
        ) -> None | Unset | ViewPublishedDefinitionType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                published_definition_type_0 = ViewPublishedDefinitionType0.from_dict(
                    data
                )

                return published_definition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | ViewPublishedDefinitionType0, data)

        published_definition = _parse_published_definition(
            d.pop("published_definition", UNSET)
        )

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

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        view = cls(
            active_version=active_version,
            definition=definition,
            id=id,
            name=name,
            published=published,
            versions=versions,
            auth=auth,
            base_id=base_id,
            cache=cache,
            created_at=created_at,
            pending=pending,
            published_definition=published_definition,
            published_version=published_version,
            slug=slug,
            url=url,
        )

        view.additional_properties = d
        return view

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
