from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ViewKeyRevoked")


@_attrs_define
class ViewKeyRevoked:
    """The view key stops working at once.

    Attributes:
        base_id (UUID):
        id (UUID):
        revoked (Literal[True]):
        slug (None | str): The view's slug; null if it was never published.
    """

    base_id: UUID
    id: UUID
    revoked: Literal[True]
    slug: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_id = str(self.base_id)

        id = str(self.id)

        revoked = self.revoked

        slug: None | str
        slug = self.slug

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_id": base_id,
                "id": id,
                "revoked": revoked,
                "slug": slug,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        base_id = UUID(d.pop("base_id"))

        id = UUID(d.pop("id"))

        revoked = cast(Literal[True], d.pop("revoked"))
        if revoked != True:
            raise ValueError(f"revoked must match const True, got '{revoked}'")

        def _parse_slug(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        slug = _parse_slug(d.pop("slug"))

        view_key_revoked = cls(
            base_id=base_id,
            id=id,
            revoked=revoked,
            slug=slug,
        )

        view_key_revoked.additional_properties = d
        return view_key_revoked

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
