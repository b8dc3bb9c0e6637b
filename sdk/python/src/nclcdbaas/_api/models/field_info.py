from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.field_type import FieldType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.computed_info import ComputedInfo
    from ..models.field_rules import FieldRules
    from ..models.link_info import LinkInfo


T = TypeVar("T", bound="FieldInfo")


@_attrs_define
class FieldInfo:
    """A field of a table: its type, requiredness, uniqueness, options, default and former
    names.

        Attributes:
            default (Any): The value a new record gets when it leaves the field out (the field's JSON form), or
                null.
            former_names (list[str]): Names the field had before a rename, which still work in requests during the grace
                period.
            id (UUID):
            link (LinkInfo | None): What a link field points at; null for other types.
            name (str):
            options (list[str] | None): The choices of a single or multi select, in display order; null for other types.
            required (bool):
            rules (FieldRules): Validation rules of a field, checked on every write: at the edge before a plan is
                made, and by Postgres (a `CHECK` constraint) for all but `pattern`. NULL passes every
                rule (`required` is what refuses it).
            type_ (FieldType):
            unique (bool):
            computed (ComputedInfo | None | Unset): How a computed field's values are computed (it cannot be written; `type`
                is the
                type of its values); absent for a stored field.
    """

    default: Any
    former_names: list[str]
    id: UUID
    link: LinkInfo | None
    name: str
    options: list[str] | None
    required: bool
    rules: FieldRules
    type_: FieldType
    unique: bool
    computed: ComputedInfo | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.computed_info import ComputedInfo
        from ..models.link_info import LinkInfo

        default = self.default

        former_names = self.former_names

        id = str(self.id)

        link: dict[str, Any] | None
        if isinstance(self.link, LinkInfo):
            link = self.link.to_dict()
        else:
            link = self.link

        name = self.name

        options: list[str] | None
        if isinstance(self.options, list):
            options = self.options

        else:
            options = self.options

        required = self.required

        rules = self.rules.to_dict()

        type_ = self.type_.value

        unique = self.unique

        computed: dict[str, Any] | None | Unset
        if isinstance(self.computed, Unset):
            computed = UNSET
        elif isinstance(self.computed, ComputedInfo):
            computed = self.computed.to_dict()
        else:
            computed = self.computed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "default": default,
                "former_names": former_names,
                "id": id,
                "link": link,
                "name": name,
                "options": options,
                "required": required,
                "rules": rules,
                "type": type_,
                "unique": unique,
            }
        )
        if computed is not UNSET:
            field_dict["computed"] = computed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.computed_info import ComputedInfo
        from ..models.field_rules import FieldRules
        from ..models.link_info import LinkInfo

        d = dict(src_dict)
        default = d.pop("default")

        former_names = cast(list[str], d.pop("former_names"))

        id = UUID(d.pop("id"))

        def _parse_link(data: object) -> LinkInfo | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                link_type_0 = LinkInfo.from_dict(data)

                return link_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkInfo | None, data)

        link = _parse_link(d.pop("link"))

        name = d.pop("name")

        def _parse_options(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                options_type_0 = cast(list[str], data)

                return options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        options = _parse_options(d.pop("options"))

        required = d.pop("required")

        rules = FieldRules.from_dict(d.pop("rules"))

        type_ = FieldType(d.pop("type"))

        unique = d.pop("unique")

        def _parse_computed(data: object) -> ComputedInfo | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                computed_type_0 = ComputedInfo.from_dict(data)

                return computed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ComputedInfo | None | Unset, data)

        computed = _parse_computed(d.pop("computed", UNSET))

        field_info = cls(
            default=default,
            former_names=former_names,
            id=id,
            link=link,
            name=name,
            options=options,
            required=required,
            rules=rules,
            type_=type_,
            unique=unique,
            computed=computed,
        )

        return field_info
