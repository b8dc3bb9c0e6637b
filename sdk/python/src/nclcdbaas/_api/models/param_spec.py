from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.field_type import FieldType
from ..models.when_absent import WhenAbsent
from ..types import UNSET, Unset

T = TypeVar("T", bound="ParamSpec")


@_attrs_define
class ParamSpec:
    """A typed request parameter as a management request describes it.

    Attributes:
        name (str):
        type_ (FieldType):
        description (str | Unset):
        example (None | str | Unset):
        options (list[str] | Unset):
        required (bool | None | Unset): The earlier form: `true` is `when_absent: error`; `false` must say what instead.
        when_absent (None | Unset | WhenAbsent): What a request without it gets; required (`error`) unless said
            otherwise.
    """

    name: str
    type_: FieldType
    description: str | Unset = UNSET
    example: None | str | Unset = UNSET
    options: list[str] | Unset = UNSET
    required: bool | None | Unset = UNSET
    when_absent: None | Unset | WhenAbsent = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_ = self.type_.value

        description = self.description

        example: None | str | Unset
        if isinstance(self.example, Unset):
            example = UNSET
        else:
            example = self.example

        options: list[str] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options

        required: bool | None | Unset
        if isinstance(self.required, Unset):
            required = UNSET
        else:
            required = self.required

        when_absent: None | str | Unset
        if isinstance(self.when_absent, Unset):
            when_absent = UNSET
        elif isinstance(self.when_absent, WhenAbsent):
            when_absent = self.when_absent.value
        else:
            when_absent = self.when_absent

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

        def _parse_example(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        example = _parse_example(d.pop("example", UNSET))

        options = cast(list[str], d.pop("options", UNSET))

        def _parse_required(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        required = _parse_required(d.pop("required", UNSET))

        def _parse_when_absent(data: object) -> None | Unset | WhenAbsent:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                when_absent_type_0 = WhenAbsent(data)

                return when_absent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WhenAbsent, data)

        when_absent = _parse_when_absent(d.pop("when_absent", UNSET))

        param_spec = cls(
            name=name,
            type_=type_,
            description=description,
            example=example,
            options=options,
            required=required,
            when_absent=when_absent,
        )

        return param_spec
