from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.auth_mode import AuthMode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cache_policy import CachePolicy


T = TypeVar("T", bound="PublishRequest")


@_attrs_define
class PublishRequest:
    """How a view is published.

    Attributes:
        enabled (bool): Serve the view at its slug, or stop serving it.
        auth (AuthMode | Unset):
        cache (CachePolicy | Unset): How the edge caches a view's answers (seconds).
        slug (None | str | Unset): Required the first time; later it keeps the current one.
        version (int | None | Unset): The version the slug serves; the version being edited when absent. Edits make new
            versions that the slug serves only once published.
    """

    enabled: bool
    auth: AuthMode | Unset = UNSET
    cache: CachePolicy | Unset = UNSET
    slug: None | str | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        auth: str | Unset = UNSET
        if not isinstance(self.auth, Unset):
            auth = self.auth.value

        cache: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cache, Unset):
            cache = self.cache.to_dict()

        slug: None | str | Unset
        if isinstance(self.slug, Unset):
            slug = UNSET
        else:
            slug = self.slug

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enabled": enabled,
            }
        )
        if auth is not UNSET:
            field_dict["auth"] = auth
        if cache is not UNSET:
            field_dict["cache"] = cache
        if slug is not UNSET:
            field_dict["slug"] = slug
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cache_policy import CachePolicy

        d = dict(src_dict)
        enabled = d.pop("enabled")

        _auth = d.pop("auth", UNSET)
        auth: AuthMode | Unset
        if isinstance(_auth, Unset):
            auth = UNSET
        else:
            auth = AuthMode(_auth)

        _cache = d.pop("cache", UNSET)
        cache: CachePolicy | Unset
        if isinstance(_cache, Unset):
            cache = UNSET
        else:
            cache = CachePolicy.from_dict(_cache)

        def _parse_slug(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        slug = _parse_slug(d.pop("slug", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        publish_request = cls(
            enabled=enabled,
            auth=auth,
            cache=cache,
            slug=slug,
            version=version,
        )

        return publish_request
