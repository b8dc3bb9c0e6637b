from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.field_type import FieldType
from ..types import UNSET, Unset

T = TypeVar("T", bound="FieldPatch")


@_attrs_define
class FieldPatch:
    """
    Attributes:
        default (Any | Unset): The new default; `null` removes it.
        name (str | Unset): Lowercase letters, digits and `_`, starting with a letter; not `id`, `created_at`,
            `updated_at` or `version`.
        options (list[str] | Unset): The choices of a single or multi select.
        required (bool | Unset):
        type_ (FieldType | Unset):
        unique (bool | Unset):
    """

    default: Any | Unset = UNSET
    name: str | Unset = UNSET
    options: list[str] | Unset = UNSET
    required: bool | Unset = UNSET
    type_: FieldType | Unset = UNSET
    unique: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        default = self.default

        name = self.name

        options: list[str] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options

        required = self.required

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        unique = self.unique

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if default is not UNSET:
            field_dict["default"] = default
        if name is not UNSET:
            field_dict["name"] = name
        if options is not UNSET:
            field_dict["options"] = options
        if required is not UNSET:
            field_dict["required"] = required
        if type_ is not UNSET:
            field_dict["type"] = type_
        if unique is not UNSET:
            field_dict["unique"] = unique

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        default = d.pop("default", UNSET)

        name = d.pop("name", UNSET)

        options = cast(list[str], d.pop("options", UNSET))

        required = d.pop("required", UNSET)

        _type_ = d.pop("type", UNSET)
        type_: FieldType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = FieldType(_type_)

        unique = d.pop("unique", UNSET)

        field_patch = cls(
            default=default,
            name=name,
            options=options,
            required=required,
            type_=type_,
            unique=unique,
        )

        return field_patch
