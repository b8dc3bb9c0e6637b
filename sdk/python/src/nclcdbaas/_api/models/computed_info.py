from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.computed_info_kind import ComputedInfoKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.new_lookup import NewLookup
    from ..models.new_rollup import NewRollup


T = TypeVar("T", bound="ComputedInfo")


@_attrs_define
class ComputedInfo:
    """A computed field's definition, fields named by their current names.

    Attributes:
        kind (ComputedInfoKind):
        formula (None | str | Unset):
        lookup (NewLookup | None | Unset):
        rollup (NewRollup | None | Unset):
    """

    kind: ComputedInfoKind
    formula: None | str | Unset = UNSET
    lookup: NewLookup | None | Unset = UNSET
    rollup: NewRollup | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.new_lookup import NewLookup
        from ..models.new_rollup import NewRollup

        kind = self.kind.value

        formula: None | str | Unset
        if isinstance(self.formula, Unset):
            formula = UNSET
        else:
            formula = self.formula

        lookup: dict[str, Any] | None | Unset
        if isinstance(self.lookup, Unset):
            lookup = UNSET
        elif isinstance(self.lookup, NewLookup):
            lookup = self.lookup.to_dict()
        else:
            lookup = self.lookup

        rollup: dict[str, Any] | None | Unset
        if isinstance(self.rollup, Unset):
            rollup = UNSET
        elif isinstance(self.rollup, NewRollup):
            rollup = self.rollup.to_dict()
        else:
            rollup = self.rollup

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if formula is not UNSET:
            field_dict["formula"] = formula
        if lookup is not UNSET:
            field_dict["lookup"] = lookup
        if rollup is not UNSET:
            field_dict["rollup"] = rollup

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.new_lookup import NewLookup
        from ..models.new_rollup import NewRollup

        d = dict(src_dict)
        kind = ComputedInfoKind(d.pop("kind"))

        def _parse_formula(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        formula = _parse_formula(d.pop("formula", UNSET))

        def _parse_lookup(data: object) -> NewLookup | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lookup_type_0 = NewLookup.from_dict(data)

                return lookup_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NewLookup | None | Unset, data)

        lookup = _parse_lookup(d.pop("lookup", UNSET))

        def _parse_rollup(data: object) -> NewRollup | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rollup_type_0 = NewRollup.from_dict(data)

                return rollup_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NewRollup | None | Unset, data)

        rollup = _parse_rollup(d.pop("rollup", UNSET))

        computed_info = cls(
            kind=kind,
            formula=formula,
            lookup=lookup,
            rollup=rollup,
        )

        return computed_info
