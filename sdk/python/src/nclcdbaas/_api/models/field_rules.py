from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FieldRules")


@_attrs_define
class FieldRules:
    """Validation rules of a field, checked on every write: at the edge before a plan is
    made, and by Postgres (a `CHECK` constraint) for all but `pattern`. NULL passes every
    rule (`required` is what refuses it).

        Attributes:
            allowed (list[str] | Unset): Text: the only values allowed.
            max_ (Any | Unset): Number or date: the largest value allowed.
            max_length (int | None | Unset): Text: the most characters.
            min_ (Any | Unset): Number or date: the smallest value allowed, in the field's JSON form.
            min_length (int | None | Unset): Text: the fewest characters (Unicode code points).
            pattern (None | str | Unset): Text: a regular expression the value must match somewhere (anchor it with `^…$`
                to match the whole value). A linear-time engine: no backreferences or look-around.
    """

    allowed: list[str] | Unset = UNSET
    max_: Any | Unset = UNSET
    max_length: int | None | Unset = UNSET
    min_: Any | Unset = UNSET
    min_length: int | None | Unset = UNSET
    pattern: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        allowed: list[str] | Unset = UNSET
        if not isinstance(self.allowed, Unset):
            allowed = self.allowed

        max_ = self.max_

        max_length: int | None | Unset
        if isinstance(self.max_length, Unset):
            max_length = UNSET
        else:
            max_length = self.max_length

        min_ = self.min_

        min_length: int | None | Unset
        if isinstance(self.min_length, Unset):
            min_length = UNSET
        else:
            min_length = self.min_length

        pattern: None | str | Unset
        if isinstance(self.pattern, Unset):
            pattern = UNSET
        else:
            pattern = self.pattern

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if allowed is not UNSET:
            field_dict["allowed"] = allowed
        if max_ is not UNSET:
            field_dict["max"] = max_
        if max_length is not UNSET:
            field_dict["max_length"] = max_length
        if min_ is not UNSET:
            field_dict["min"] = min_
        if min_length is not UNSET:
            field_dict["min_length"] = min_length
        if pattern is not UNSET:
            field_dict["pattern"] = pattern

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        allowed = cast(list[str], d.pop("allowed", UNSET))

        max_ = d.pop("max", UNSET)

        def _parse_max_length(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_length = _parse_max_length(d.pop("max_length", UNSET))

        min_ = d.pop("min", UNSET)

        def _parse_min_length(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_length = _parse_min_length(d.pop("min_length", UNSET))

        def _parse_pattern(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pattern = _parse_pattern(d.pop("pattern", UNSET))

        field_rules = cls(
            allowed=allowed,
            max_=max_,
            max_length=max_length,
            min_=min_,
            min_length=min_length,
            pattern=pattern,
        )

        return field_rules
