from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.field_type import FieldType
from ..models.view_spec_params_item_when_absent import ViewSpecParamsItemWhenAbsent
from ..types import UNSET, Unset

T = TypeVar("T", bound="ViewSpecParamsItem")


@_attrs_define
class ViewSpecParamsItem:
    """
    Attributes:
        name (str):
        type_ (FieldType):
        description (str | Unset):
        example (str | Unset):
        options (list[str] | Unset):
        required (bool | Unset): `true` is `when_absent: error`; `false` must come with a `when_absent`.
        when_absent (ViewSpecParamsItemWhenAbsent | Unset): What a request without the parameter gets: 422 (`error`, the
            parameter is required), its conditions dropped (`no_filter`), or an empty page (`no_rows`). Default:
            ViewSpecParamsItemWhenAbsent.ERROR.
    """

    name: str
    type_: FieldType
    description: str | Unset = UNSET
    example: str | Unset = UNSET
    options: list[str] | Unset = UNSET
    required: bool | Unset = UNSET
    when_absent: ViewSpecParamsItemWhenAbsent | Unset = (
        ViewSpecParamsItemWhenAbsent.ERROR
    )

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_ = self.type_.value

        description = self.description

        example = self.example

        options: list[str] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options

        required = self.required

        when_absent: str | Unset = UNSET
        if not isinstance(self.when_absent, Unset):
            when_absent = self.when_absent.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if example is not UNSET:
            field_dict["example"] = example
        if options is not UNSET:
            field_dict["options"] = options
        if required is not UNSET:
            field_dict["required"] = required
        if when_absent is not UNSET:
            field_dict["when_absent"] = when_absent

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        type_ = FieldType(d.pop("type"))

        description = d.pop("description", UNSET)

        example = d.pop("example", UNSET)

        options = cast(list[str], d.pop("options", UNSET))

        required = d.pop("required", UNSET)

        _when_absent = d.pop("when_absent", UNSET)
        when_absent: ViewSpecParamsItemWhenAbsent | Unset
        if isinstance(_when_absent, Unset):
            when_absent = UNSET
        else:
            when_absent = ViewSpecParamsItemWhenAbsent(_when_absent)

        view_spec_params_item = cls(
            name=name,
            type_=type_,
            description=description,
            example=example,
            options=options,
            required=required,
            when_absent=when_absent,
        )

        return view_spec_params_item
