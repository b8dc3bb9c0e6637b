from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.new_field import NewField


T = TypeVar("T", bound="NewTable")


@_attrs_define
class NewTable:
    """A table as a client describes it, to create.

    Attributes:
        name (str): A table or field name: lowercase letters, digits and `_`, starting with a letter; not
            `id`, `created_at`, `updated_at` or `version`.
        fields (list[NewField] | Unset):
    """

    name: str
    fields: list[NewField] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = []
            for fields_item_data in self.fields:
                fields_item = fields_item_data.to_dict()
                fields.append(fields_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if fields is not UNSET:
            field_dict["fields"] = fields

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.new_field import NewField

        d = dict(src_dict)
        name = d.pop("name")

        _fields = d.pop("fields", UNSET)
        fields: list[NewField] | Unset = UNSET
        if _fields is not UNSET:
            fields = []
            for fields_item_data in _fields:
                fields_item = NewField.from_dict(fields_item_data)

                fields.append(fields_item)

        new_table = cls(
            name=name,
            fields=fields,
        )

        return new_table
