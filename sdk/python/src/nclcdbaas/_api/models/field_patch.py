from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.field_type import FieldType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_rules import FieldRules
    from ..models.link_patch import LinkPatch
    from ..models.new_lookup import NewLookup
    from ..models.new_rollup import NewRollup


T = TypeVar("T", bound="FieldPatch")


@_attrs_define
class FieldPatch:
    """What a `PATCH` of a field changes; absent members stay as they are.

    Attributes:
        check_existing (bool | None | Unset): With `rules`: `false` applies them to new writes only, leaving existing
            records
            that break them as they are (Postgres then checks a record when it is next written).
            By default a change that existing records break is refused, naming how many.
        default (Any | Unset): The new default; `null` removes it.
        formula (None | str | Unset): A formula field's new expression.
        link (LinkPatch | None | Unset): A link field's referential action or display field.
        lookup (NewLookup | None | Unset): A lookup field's new definition.
        name (None | str | Unset): A table or field name: lowercase letters, digits and `_`, starting with a letter; not
            `id`, `created_at`, `updated_at` or `version`.
        options (list[str] | None | Unset): The choices of a single or multi select.
        required (bool | None | Unset):
        rollup (NewRollup | None | Unset): A rollup field's new definition.
        rules (FieldRules | None | Unset): The field's rules, replacing the current ones (`{}` removes them all).
        type_ (FieldType | None | Unset):
        unique (bool | None | Unset):
    """

    check_existing: bool | None | Unset = UNSET
    default: Any | Unset = UNSET
    formula: None | str | Unset = UNSET
    link: LinkPatch | None | Unset = UNSET
    lookup: NewLookup | None | Unset = UNSET
    name: None | str | Unset = UNSET
    options: list[str] | None | Unset = UNSET
    required: bool | None | Unset = UNSET
    rollup: NewRollup | None | Unset = UNSET
    rules: FieldRules | None | Unset = UNSET
    type_: FieldType | None | Unset = UNSET
    unique: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.field_rules import FieldRules
        from ..models.link_patch import LinkPatch
        from ..models.new_lookup import NewLookup
        from ..models.new_rollup import NewRollup

        check_existing: bool | None | Unset
        if isinstance(self.check_existing, Unset):
            check_existing = UNSET
        else:
            check_existing = self.check_existing

        default = self.default

        formula: None | str | Unset
        if isinstance(self.formula, Unset):
            formula = UNSET
        else:
            formula = self.formula

        link: dict[str, Any] | None | Unset
        if isinstance(self.link, Unset):
            link = UNSET
        elif isinstance(self.link, LinkPatch):
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

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        options: list[str] | None | Unset
        if isinstance(self.options, Unset):
            options = UNSET
        elif isinstance(self.options, list):
            options = self.options

        else:
            options = self.options

        required: bool | None | Unset
        if isinstance(self.required, Unset):
            required = UNSET
        else:
            required = self.required

        rollup: dict[str, Any] | None | Unset
        if isinstance(self.rollup, Unset):
            rollup = UNSET
        elif isinstance(self.rollup, NewRollup):
            rollup = self.rollup.to_dict()
        else:
            rollup = self.rollup

        rules: dict[str, Any] | None | Unset
        if isinstance(self.rules, Unset):
            rules = UNSET
        elif isinstance(self.rules, FieldRules):
            rules = self.rules.to_dict()
        else:
            rules = self.rules

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, FieldType):
            type_ = self.type_.value
        else:
            type_ = self.type_

        unique: bool | None | Unset
        if isinstance(self.unique, Unset):
            unique = UNSET
        else:
            unique = self.unique

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if check_existing is not UNSET:
            field_dict["check_existing"] = check_existing
        if default is not UNSET:
            field_dict["default"] = default
        if formula is not UNSET:
            field_dict["formula"] = formula
        if link is not UNSET:
            field_dict["link"] = link
        if lookup is not UNSET:
            field_dict["lookup"] = lookup
        if name is not UNSET:
            field_dict["name"] = name
        if options is not UNSET:
            field_dict["options"] = options
        if required is not UNSET:
            field_dict["required"] = required
        if rollup is not UNSET:
            field_dict["rollup"] = rollup
        if rules is not UNSET:
            field_dict["rules"] = rules
        if type_ is not UNSET:
            field_dict["type"] = type_
        if unique is not UNSET:
            field_dict["unique"] = unique

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_rules import FieldRules
        from ..models.link_patch import LinkPatch
        from ..models.new_lookup import NewLookup
        from ..models.new_rollup import NewRollup

        d = dict(src_dict)

        def _parse_check_existing(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        check_existing = _parse_check_existing(d.pop("check_existing", UNSET))

        default = d.pop("default", UNSET)

        def _parse_formula(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        formula = _parse_formula(d.pop("formula", UNSET))

        def _parse_link(data: object) -> LinkPatch | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                link_type_0 = LinkPatch.from_dict(data)

                return link_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkPatch | None | Unset, data)

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

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_options(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                options_type_0 = cast(list[str], data)

                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        options = _parse_options(d.pop("options", UNSET))

        def _parse_required(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        required = _parse_required(d.pop("required", UNSET))

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

        def _parse_rules(data: object) -> FieldRules | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rules_type_0 = FieldRules.from_dict(data)

                return rules_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FieldRules | None | Unset, data)

        rules = _parse_rules(d.pop("rules", UNSET))

        def _parse_type_(data: object) -> FieldType | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = FieldType(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FieldType | None | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_unique(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        unique = _parse_unique(d.pop("unique", UNSET))

        field_patch = cls(
            check_existing=check_existing,
            default=default,
            formula=formula,
            link=link,
            lookup=lookup,
            name=name,
            options=options,
            required=required,
            rollup=rollup,
            rules=rules,
            type_=type_,
            unique=unique,
        )

        return field_patch
