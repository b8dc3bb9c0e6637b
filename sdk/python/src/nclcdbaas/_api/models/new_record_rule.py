from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NewRecordRule")


@_attrs_define
class NewRecordRule:
    """A record rule as a client writes it: conditions in the `where` form over the
    table's own fields.

        Attributes:
            name (str): A table or field name: lowercase letters, digits and `_`, starting with a letter; not
                `id`, `created_at`, `updated_at` or `version`.
            then (Any):
            if_ (Any | Unset): When this holds, `then` must hold too (always, when absent).
            message (None | str | Unset): What a write that breaks the rule is told (a default names the rule).
    """

    name: str
    then: Any
    if_: Any | Unset = UNSET
    message: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        then = self.then

        if_ = self.if_

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "then": then,
            }
        )
        if if_ is not UNSET:
            field_dict["if"] = if_
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        then = d.pop("then")

        if_ = d.pop("if", UNSET)

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        new_record_rule = cls(
            name=name,
            then=then,
            if_=if_,
            message=message,
        )

        return new_record_rule
