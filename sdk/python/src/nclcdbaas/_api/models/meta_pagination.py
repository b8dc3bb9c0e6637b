from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MetaPagination")


@_attrs_define
class MetaPagination:
    """
    Attributes:
        default_limit (int):
        max_limit (int):
        mode (str): Always `cursor`.
        next_ (str):
        request (str):
    """

    default_limit: int
    max_limit: int
    mode: str
    next_: str
    request: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default_limit = self.default_limit

        max_limit = self.max_limit

        mode = self.mode

        next_ = self.next_

        request = self.request

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default_limit": default_limit,
                "max_limit": max_limit,
                "mode": mode,
                "next": next_,
                "request": request,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        default_limit = d.pop("default_limit")

        max_limit = d.pop("max_limit")

        mode = d.pop("mode")

        next_ = d.pop("next")

        request = d.pop("request")

        meta_pagination = cls(
            default_limit=default_limit,
            max_limit=max_limit,
            mode=mode,
            next_=next_,
            request=request,
        )

        meta_pagination.additional_properties = d
        return meta_pagination

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
