from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SchemaOpStepsType0Item")


@_attrs_define
class SchemaOpStepsType0Item:
    """One DDL statement and its parameters (all text; null is SQL `NULL`).

    Attributes:
        params (list[None | str]):
        sql (str):
    """

    params: list[None | str]
    sql: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        params = []
        for params_item_data in self.params:
            params_item: None | str
            params_item = params_item_data
            params.append(params_item)

        sql = self.sql

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "params": params,
                "sql": sql,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        params = []
        _params = d.pop("params")
        for params_item_data in _params:

            def _parse_params_item(data: object) -> None | str:
                if data is None:
                    return data
                return cast(None | str, data)

            params_item = _parse_params_item(params_item_data)

            params.append(params_item)

        sql = d.pop("sql")

        schema_op_steps_type_0_item = cls(
            params=params,
            sql=sql,
        )

        schema_op_steps_type_0_item.additional_properties = d
        return schema_op_steps_type_0_item

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
