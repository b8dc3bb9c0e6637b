from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.field_type import FieldType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_rules import FieldRules
    from ..models.new_link import NewLink


T = TypeVar("T", bound="NewField")


@_attrs_define
class NewField:
    """A field as a client describes it, to create.

    Attributes:
        name (str): A table or field name: lowercase letters, digits and `_`, starting with a letter; not
            `id`, `created_at`, `updated_at` or `version`.
        type_ (FieldType):
        default (Any | Unset): A valid value of the field, given to records that leave it out.
        link (NewLink | None | Unset): For a `link` field (and only for one): the table it points at.
        options (list[str] | Unset): The choices of a single or multi select.
        required (bool | Unset):  Default: False.
        rules (FieldRules | Unset): Validation rules of a field, checked on every write: at the edge before a plan is
            made, and by Postgres (a `CHECK` constraint) for all but `pattern`. NULL passes every
            rule (`required` is what refuses it).
        unique (bool | Unset): Backed by a unique index. Default: False.
    """

    name: str
    type_: FieldType
    default: Any | Unset = UNSET
    link: NewLink | None | Unset = UNSET
    options: list[str] | Unset = UNSET
    required: bool | Unset = False
    rules: FieldRules | Unset = UNSET
    unique: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        from ..models.new_link import NewLink

        name = self.name

        type_ = self.type_.value

        default = self.default

        link: dict[str, Any] | None | Unset
        if isinstance(self.link, Unset):
            link = UNSET
        elif isinstance(self.link, NewLink):
            link = self.link.to_dict()
        else:
            link = self.link

        options: list[str] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options

        required = self.required

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
        if link is not UNSET:
            field_dict["link"] = link
        if options is not UNSET:
            field_dict["options"] = options
        if required is not UNSET:
            field_dict["required"] = required
        if rules is not UNSET:
            field_dict["rules"] = rules
        if unique is not UNSET:
            field_dict["unique"] = unique

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_rules import FieldRules
        from ..models.new_link import NewLink

        d = dict(src_dict)
        name = d.pop("name")

        type_ = FieldType(d.pop("type"))

        default = d.pop("default", UNSET)

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

        options = cast(list[str], d.pop("options", UNSET))

        required = d.pop("required", UNSET)

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
            link=link,
            options=options,
            required=required,
            rules=rules,
            unique=unique,
        )

        return new_field
