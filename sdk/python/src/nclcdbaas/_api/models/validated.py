from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="Validated")


@_attrs_define
class Validated:
    """A record that would be written: its values fit their fields, their rules and the
    required fields (what the edge checks; a unique value or a link's target is checked
    by the write itself).

        Attributes:
            valid (Literal[True]):
    """

    valid: Literal[True]

    def to_dict(self) -> dict[str, Any]:
        valid = self.valid

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "valid": valid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        valid = cast(Literal[True], d.pop("valid"))
        if valid != True:
            raise ValueError(f"valid must match const True, got '{valid}'")

        validated = cls(
            valid=valid,
        )

        return validated
