from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.field_value_type_4 import FieldValueType4


T = TypeVar("T", bound="Values")


@_attrs_define
class Values:
    """Field name → value. In a create or an upsert item, every required field must be given;
    a name that is not a field of the table is a 422.

    """

    additional_properties: dict[
        str, bool | FieldValueType4 | float | list[Any] | None | str
    ] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.field_value_type_4 import FieldValueType4

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, list):
                field_dict[prop_name] = prop

            elif isinstance(prop, FieldValueType4):
                field_dict[prop_name] = prop.to_dict()
            else:
                field_dict[prop_name] = prop

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_value_type_4 import FieldValueType4

        d = dict(src_dict)
        values = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
                data: object,
            ) -> bool | FieldValueType4 | float | list[Any] | None | str:
                if data is None:
                    return data
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    componentsschemas_field_value_type_3 = cast(list[Any], data)

                    return componentsschemas_field_value_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_field_value_type_4 = FieldValueType4.from_dict(
                        data
                    )

                    return componentsschemas_field_value_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(
                    bool | FieldValueType4 | float | list[Any] | None | str, data
                )

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        values.additional_properties = additional_properties
        return values

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(
        self, key: str
    ) -> bool | FieldValueType4 | float | list[Any] | None | str:
        return self.additional_properties[key]

    def __setitem__(
        self, key: str, value: bool | FieldValueType4 | float | list[Any] | None | str
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
