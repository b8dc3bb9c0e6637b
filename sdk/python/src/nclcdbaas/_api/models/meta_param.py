from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.field_type import FieldType
from ..models.when_absent import WhenAbsent

T = TypeVar("T", bound="MetaParam")


@_attrs_define
class MetaParam:
    """A parameter of the view.

    Attributes:
        absent_means (str): What leaving it out does, in words.
        description (str):
        example (None | str):
        in_ (str): Always `query`.
        name (str):
        required (bool):
        type_ (FieldType):
        when_absent (WhenAbsent):
    """

    absent_means: str
    description: str
    example: None | str
    in_: str
    name: str
    required: bool
    type_: FieldType
    when_absent: WhenAbsent
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        absent_means = self.absent_means

        description = self.description

        example: None | str
        example = self.example

        in_ = self.in_

        name = self.name

        required = self.required

        type_ = self.type_.value

        when_absent = self.when_absent.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "absent_means": absent_means,
                "description": description,
                "example": example,
                "in": in_,
                "name": name,
                "required": required,
                "type": type_,
                "when_absent": when_absent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        absent_means = d.pop("absent_means")

        description = d.pop("description")

        def _parse_example(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        example = _parse_example(d.pop("example"))

        in_ = d.pop("in")

        name = d.pop("name")

        required = d.pop("required")

        type_ = FieldType(d.pop("type"))

        when_absent = WhenAbsent(d.pop("when_absent"))

        meta_param = cls(
            absent_means=absent_means,
            description=description,
            example=example,
            in_=in_,
            name=name,
            required=required,
            type_=type_,
            when_absent=when_absent,
        )

        meta_param.additional_properties = d
        return meta_param

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
