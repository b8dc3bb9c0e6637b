from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ViewMetaExamples")


@_attrs_define
class ViewMetaExamples:
    """
    Attributes:
        curl (str | Unset):
        fetch (str | Unset):
        postman_url (str | Unset):
    """

    curl: str | Unset = UNSET
    fetch: str | Unset = UNSET
    postman_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        curl = self.curl

        fetch = self.fetch

        postman_url = self.postman_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if curl is not UNSET:
            field_dict["curl"] = curl
        if fetch is not UNSET:
            field_dict["fetch"] = fetch
        if postman_url is not UNSET:
            field_dict["postman_url"] = postman_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        curl = d.pop("curl", UNSET)

        fetch = d.pop("fetch", UNSET)

        postman_url = d.pop("postman_url", UNSET)

        view_meta_examples = cls(
            curl=curl,
            fetch=fetch,
            postman_url=postman_url,
        )

        view_meta_examples.additional_properties = d
        return view_meta_examples

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
