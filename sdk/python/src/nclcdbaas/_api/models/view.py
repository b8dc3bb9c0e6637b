from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.auth_mode import AuthMode

if TYPE_CHECKING:
    from ..models.view_cache import ViewCache
    from ..models.view_definition import ViewDefinition
    from ..models.view_published_definition_type_0 import ViewPublishedDefinitionType0
    from ..models.view_spec import ViewSpec
    from ..models.view_versions_item import ViewVersionsItem


T = TypeVar("T", bound="View")


@_attrs_define
class View:
    """A saved view: the version being edited (`active_version`) and, when published, the
    version its public URL serves (`published_version`), which differ while a change waits
    for an admin to publish it (`pending`).

        Attributes:
            active_version (int): The version being edited.
            auth (AuthMode):
            base_id (UUID):
            cache (ViewCache): How the edge caches its public answers, in seconds; a member left out has its
                default (a view never published has only `max_age`).
            created_at (str):
            definition (ViewDefinition): The edited version's definition, tables and fields by id.
            id (UUID):
            name (str):
            pending (bool): Published, and the edited version is not the one served.
            published (bool):
            published_definition (None | ViewPublishedDefinitionType0): The served version's definition; null when not
                published.
            published_spec (None | ViewSpec): The served version as `PUT` takes it; null when not published.
            published_version (int | None): The version the slug serves; null when not published.
            slug (None | str): The slug it is (or was last) published under; null if it never was.
            spec (ViewSpec): A view as a management request describes it: tables and fields by name.
            url (None | str): The path of its public endpoint, `/public/views/<slug>/data`; null without a slug.
            versions (list[ViewVersionsItem]): Every version, oldest first.
    """

    active_version: int
    auth: AuthMode
    base_id: UUID
    cache: ViewCache
    created_at: str
    definition: ViewDefinition
    id: UUID
    name: str
    pending: bool
    published: bool
    published_definition: None | ViewPublishedDefinitionType0
    published_spec: None | ViewSpec
    published_version: int | None
    slug: None | str
    spec: ViewSpec
    url: None | str
    versions: list[ViewVersionsItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.view_published_definition_type_0 import (
            ViewPublishedDefinitionType0,
        )
        from ..models.view_spec import ViewSpec

        active_version = self.active_version

        auth = self.auth.value

        base_id = str(self.base_id)

        cache = self.cache.to_dict()

        created_at = self.created_at

        definition = self.definition.to_dict()

        id = str(self.id)

        name = self.name

        pending = self.pending

        published = self.published

        published_definition: dict[str, Any] | None
        if isinstance(self.published_definition, ViewPublishedDefinitionType0):
            published_definition = self.published_definition.to_dict()
        else:
            published_definition = self.published_definition

        published_spec: dict[str, Any] | None
        if isinstance(self.published_spec, ViewSpec):
            published_spec = self.published_spec.to_dict()
        else:
            published_spec = self.published_spec

        published_version: int | None
        published_version = self.published_version

        slug: None | str
        slug = self.slug

        spec = self.spec.to_dict()

        url: None | str
        url = self.url

        versions = []
        for versions_item_data in self.versions:
            versions_item = versions_item_data.to_dict()
            versions.append(versions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active_version": active_version,
                "auth": auth,
                "base_id": base_id,
                "cache": cache,
                "created_at": created_at,
                "definition": definition,
                "id": id,
                "name": name,
                "pending": pending,
                "published": published,
                "published_definition": published_definition,
                "published_spec": published_spec,
                "published_version": published_version,
                "slug": slug,
                "spec": spec,
                "url": url,
                "versions": versions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.view_cache import ViewCache
        from ..models.view_definition import ViewDefinition
        from ..models.view_published_definition_type_0 import (
            ViewPublishedDefinitionType0,
        )
        from ..models.view_spec import ViewSpec
        from ..models.view_versions_item import ViewVersionsItem

        d = dict(src_dict)
        active_version = d.pop("active_version")

        auth = AuthMode(d.pop("auth"))

        base_id = UUID(d.pop("base_id"))

        cache = ViewCache.from_dict(d.pop("cache"))

        created_at = d.pop("created_at")

        definition = ViewDefinition.from_dict(d.pop("definition"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        pending = d.pop("pending")

        published = d.pop("published")

        def _parse_published_definition(
            data: object,
        ) -> None | ViewPublishedDefinitionType0:
            if data is None:
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
            return cast(None | ViewPublishedDefinitionType0, data)

        published_definition = _parse_published_definition(
            d.pop("published_definition")
        )

        def _parse_published_spec(data: object) -> None | ViewSpec:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                published_spec_type_0 = ViewSpec.from_dict(data)

                return published_spec_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ViewSpec, data)

        published_spec = _parse_published_spec(d.pop("published_spec"))

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

        spec = ViewSpec.from_dict(d.pop("spec"))

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        versions = []
        _versions = d.pop("versions")
        for versions_item_data in _versions:
            versions_item = ViewVersionsItem.from_dict(versions_item_data)

            versions.append(versions_item)

        view = cls(
            active_version=active_version,
            auth=auth,
            base_id=base_id,
            cache=cache,
            created_at=created_at,
            definition=definition,
            id=id,
            name=name,
            pending=pending,
            published=published,
            published_definition=published_definition,
            published_spec=published_spec,
            published_version=published_version,
            slug=slug,
            spec=spec,
            url=url,
            versions=versions,
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
