from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.aggregate import Aggregate
from ..types import UNSET, Unset

T = TypeVar("T", bound="NewRollup")


@_attrs_define
class NewRollup:
    """A rollup: an aggregate over the records of another table whose link points here.

    Attributes:
        function (Aggregate):
        link (str): The linking side, `<table>.<its link field>` (as `include=` names it).
        field (None | str | Unset): The aggregated field of the linking table: a number for `sum` and `average`; a
            number, text, date or datetime for `min` and `max`; none for `count`, `any`, `all`.
        where (Any | Unset): A condition in the `where` form over the linking table's fields: only matching
            records count; for `any` and `all`, what each record is tested for.
    """

    function: Aggregate
    link: str
    field: None | str | Unset = UNSET
    where: Any | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        function = self.function.value

        link = self.link

        field: None | str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        where = self.where

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "function": function,
                "link": link,
            }
        )
        if field is not UNSET:
            field_dict["field"] = field
        if where is not UNSET:
            field_dict["where"] = where

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        function = Aggregate(d.pop("function"))

        link = d.pop("link")

        def _parse_field(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))

        where = d.pop("where", UNSET)

        new_rollup = cls(
            function=function,
            link=link,
            field=field,
            where=where,
        )

        return new_rollup
