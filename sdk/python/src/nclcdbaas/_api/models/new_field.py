from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.new_field_type import NewFieldType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_rules import FieldRules
    from ..models.new_link import NewLink
    from ..models.new_lookup import NewLookup
    from ..models.new_rollup import NewRollup


T = TypeVar("T", bound="NewField")


@_attrs_define
class NewField:
    """A field as a client describes it, to create.

    Attributes:
        name (str): A table or field name: lowercase letters, digits and `_`, starting with a letter; not
            `id`, `created_at`, `updated_at` or `version`.
        type_ (NewFieldType):
        default (Any | Unset): A valid value of the field, given to records that leave it out.
        formula (None | str | Unset): For a `formula` field: the expression, e.g. `price * quantity` (see the formula
            language in the API guide).
        link (NewLink | None | Unset): For a `link` field (and only for one): the table it points at.
        lookup (NewLookup | None | Unset): For a `lookup` field: the link and the linked table's field it shows.
        options (list[str] | Unset): The choices of a single or multi select.
        required (bool | Unset):  Default: False.
        rollup (NewRollup | None | Unset): For a `rollup` field: what it aggregates over the records linking here.
        rules (FieldRules | Unset): Validation rules of a field, checked on every write: at the edge before a plan is
            made, and by Postgres (a `CHECK` constraint) for all but `pattern`. NULL passes every
            rule (`required` is what refuses it).
        unique (bool | Unset): Backed by a unique index. Default: False.
    """

    name: str
    type_: NewFieldType
    default: Any | Unset = UNSET
    formula: None | str | Unset = UNSET
    link: NewLink | None | Unset = UNSET
    lookup: NewLookup | None | Unset = UNSET
    options: list[str] | Unset = UNSET
    required: bool | Unset = False
    rollup: NewRollup | None | Unset = UNSET
    rules: FieldRules | Unset = UNSET
    unique: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        from ..models.new_link import NewLink
        from ..models.new_lookup import NewLookup
        from ..models.new_rollup import NewRollup

        name = self.name

        type_ = self.type_.value

        default = self.default

        formula: None | str | Unset
        if isinstance(self.formula, Unset):
            formula = UNSET
        else:
            formula = self.formula

        link: dict[str, Any] | None | Unset
        if isinstance(self.link, Unset):
            link = UNSET
        elif isinstance(self.link, NewLink):
            link = self.link.to_dict()
        else:
            link = self.link

        lookup: dict[str, Any] | None | Unset
        if isinstance(self.lookup, Unset):
            lookup = UNSET
        elif isinstance(self.lookup, NewLookup):
            lookup = self.lookup.to_dict()
        else:
            lookup = self.lookup

        options: list[str] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options

        required = self.required

        rollup: dict[str, Any] | None | Unset
        if isinstance(self.rollup, Unset):
            rollup = UNSET
        elif isinstance(self.rollup, NewRollup):
            rollup = self.rollup.to_dict()
        else:
            rollup = self.rollup

        rules: dict[str, Any] | Unset = UNSET
        if not isinstance(self.rules, Unset):
            rules = self.rules.to_dict()

        unique = self.unique

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
            }
        )
        if default is not UNSET:
            field_dict["default"] = default
        if formula is not UNSET:
            field_dict["formula"] = formula
        if link is not UNSET:
            field_dict["link"] = link
        if lookup is not UNSET:
            field_dict["lookup"] = lookup
        if options is not UNSET:
            field_dict["options"] = options
        if required is not UNSET:
            field_dict["required"] = required
        if rollup is not UNSET:
            field_dict["rollup"] = rollup
        if rules is not UNSET:
            field_dict["rules"] = rules
        if unique is not UNSET:
            field_dict["unique"] = unique

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_rules import FieldRules
        from ..models.new_link import NewLink
        from ..models.new_lookup import NewLookup
        from ..models.new_rollup import NewRollup

        d = dict(src_dict)
        name = d.pop("name")

        type_ = NewFieldType(d.pop("type"))

        default = d.pop("default", UNSET)

        def _parse_formula(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        formula = _parse_formula(d.pop("formula", UNSET))

        def _parse_link(data: object) -> NewLink | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                link_type_0 = NewLink.from_dict(data)

                return link_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NewLink | None | Unset, data)

        link = _parse_link(d.pop("link", UNSET))

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

        options = cast(list[str], d.pop("options", UNSET))

        required = d.pop("required", UNSET)

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

        _rules = d.pop("rules", UNSET)
        rules: FieldRules | Unset
        if isinstance(_rules, Unset):
            rules = UNSET
        else:
            rules = FieldRules.from_dict(_rules)

        unique = d.pop("unique", UNSET)

        new_field = cls(
            name=name,
            type_=type_,
            default=default,
            formula=formula,
            link=link,
            lookup=lookup,
            options=options,
            required=required,
            rollup=rollup,
            rules=rules,
            unique=unique,
        )

        return new_field
