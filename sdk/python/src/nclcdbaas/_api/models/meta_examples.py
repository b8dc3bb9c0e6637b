from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MetaExamples")


@_attrs_define
class MetaExamples:
    """Calls of the view that work as they are (with a key or token where it needs one).

    Attributes:
        curl (str):
        fetch (str): JavaScript (and TypeScript) with `fetch`.
        postman_url (str): A URL to import into Postman.
    """

    curl: str
    fetch: str
    postman_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        curl = self.curl

        fetch = self.fetch

        postman_url = self.postman_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "curl": curl,
                "fetch": fetch,
                "postman_url": postman_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        curl = d.pop("curl")

        fetch = d.pop("fetch")

        postman_url = d.pop("postman_url")

        meta_examples = cls(
            curl=curl,
            fetch=fetch,
            postman_url=postman_url,
        )

        meta_examples.additional_properties = d
        return meta_examples

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
