from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RuleInfo")


@_attrs_define
class RuleInfo:
    """A record rule, its conditions in the `where` form.

    Attributes:
        message (str):
        name (str):
        then (Any):
        if_ (Any | Unset):
    """

    message: str
    name: str
    then: Any
    if_: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        name = self.name

        then = self.then

        if_ = self.if_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "message": message,
                "name": name,
                "then": then,
            }
        )
        if if_ is not UNSET:
            field_dict["if"] = if_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        message = d.pop("message")

        name = d.pop("name")

        then = d.pop("then")

        if_ = d.pop("if", UNSET)

        rule_info = cls(
            message=message,
            name=name,
            then=then,
            if_=if_,
        )

        return rule_info
