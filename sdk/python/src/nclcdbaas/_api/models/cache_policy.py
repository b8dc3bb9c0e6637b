from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CachePolicy")


@_attrs_define
class CachePolicy:
    """
    Attributes:
        max_age (int | Unset):  Default: 60.
        stale_if_error (int | Unset):  Default: 0.
        stale_while_revalidate (int | Unset):  Default: 0.
    """

    max_age: int | Unset = 60
    stale_if_error: int | Unset = 0
    stale_while_revalidate: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        max_age = self.max_age

        stale_if_error = self.stale_if_error

        stale_while_revalidate = self.stale_while_revalidate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if max_age is not UNSET:
            field_dict["max_age"] = max_age
        if stale_if_error is not UNSET:
            field_dict["stale_if_error"] = stale_if_error
        if stale_while_revalidate is not UNSET:
            field_dict["stale_while_revalidate"] = stale_while_revalidate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        max_age = d.pop("max_age", UNSET)

        stale_if_error = d.pop("stale_if_error", UNSET)

        stale_while_revalidate = d.pop("stale_while_revalidate", UNSET)

        cache_policy = cls(
            max_age=max_age,
            stale_if_error=stale_if_error,
            stale_while_revalidate=stale_while_revalidate,
        )

        cache_policy.additional_properties = d
        return cache_policy

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
