from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.field_type import FieldType

T = TypeVar("T", bound="Conversion")


@_attrs_define
class Conversion:
    """What a conversion makes (`POST …/fields/{field}/convert`).

    Attributes:
        into (str): The new field's name; the old field stays until it is dropped, after which the
            new one can take its name.
        type_ (FieldType):
    """

    into: str
    type_: FieldType

    def to_dict(self) -> dict[str, Any]:
        into = self.into

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "into": into,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        into = d.pop("into")

        type_ = FieldType(d.pop("type"))

        conversion = cls(
            into=into,
            type_=type_,
        )

        return conversion
