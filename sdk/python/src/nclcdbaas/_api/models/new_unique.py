from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="NewUnique")


@_attrs_define
class NewUnique:
    """A compound unique constraint as a client writes it.

    Attributes:
        fields (list[str]): Two to eight fields, by name.
        name (str): A table or field name: lowercase letters, digits and `_`, starting with a letter; not
            `id`, `created_at`, `updated_at` or `version`.
    """

    fields: list[str]
    name: str

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        name = d.pop("name")

        new_unique = cls(
            fields=fields,
            name=name,
        )

        return new_unique
