from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.publish_request_auth import PublishRequestAuth
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cache_policy import CachePolicy


T = TypeVar("T", bound="PublishRequest")


@_attrs_define
class PublishRequest:
    """
    Attributes:
        enabled (bool):
        auth (PublishRequestAuth | Unset):  Default: PublishRequestAuth.PUBLIC.
        cache (CachePolicy | Unset):
        slug (str | Unset):
        version (int | Unset): The version to serve; the active one when absent.
    """

    enabled: bool
    auth: PublishRequestAuth | Unset = PublishRequestAuth.PUBLIC
    cache: CachePolicy | Unset = UNSET
    slug: str | Unset = UNSET
    version: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        auth: str | Unset = UNSET
        if not isinstance(self.auth, Unset):
            auth = self.auth.value

        cache: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cache, Unset):
            cache = self.cache.to_dict()

        slug = self.slug

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
        auth: PublishRequestAuth | Unset
        if isinstance(_auth, Unset):
            auth = UNSET
        else:
            auth = PublishRequestAuth(_auth)

        _cache = d.pop("cache", UNSET)
        cache: CachePolicy | Unset
        if isinstance(_cache, Unset):
            cache = UNSET
        else:
            cache = CachePolicy.from_dict(_cache)

        slug = d.pop("slug", UNSET)

        version = d.pop("version", UNSET)

        publish_request = cls(
            enabled=enabled,
            auth=auth,
            cache=cache,
            slug=slug,
            version=version,
        )

        return publish_request
