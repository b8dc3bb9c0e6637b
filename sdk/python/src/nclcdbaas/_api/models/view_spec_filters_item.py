from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operator import Operator

T = TypeVar("T", bound="ViewSpecFiltersItem")


@_attrs_define
class ViewSpecFiltersItem:
    """
    Attributes:
        field (str):
        op (Operator): Which types take which operator:

            | type | JSON value | filter operators | sortable | stored as |
            | --- | --- | --- | --- | --- |
            | `text` | string without NUL characters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `contains`,
            `starts_with`, `is_null` | yes | `text` |
            | `long_text` | string without NUL characters (for long, multi-line text) | `eq`, `ne`, `gt`, `gte`, `lt`,
            `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
            | `number` | JSON number of arbitrary precision, stored as `numeric`: never rounded, at most 200 characters and
            exponent ±1000; parse it as a decimal where precision matters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`,
            `between`, `is_null` | yes | `numeric` |
            | `boolean` | `true` or `false` | `eq`, `ne`, `in`, `is_null` | yes | `boolean` |
            | `date` | string `YYYY-MM-DD` | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `is_null` | yes | `date`
            |
            | `datetime` | RFC 3339 string with an offset, up to microseconds (`2025-01-31T12:00:00Z`); returned in UTC |
            `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`, `between`, `is_null` | yes | `timestamptz` |
            | `email` | string email address, at most 254 characters | `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `in`,
            `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
            | `url` | string absolute `http` or `https` URL, at most 2,048 characters | `eq`, `ne`, `gt`, `gte`, `lt`,
            `lte`, `in`, `between`, `contains`, `starts_with`, `is_null` | yes | `text` |
            | `single_select` | string, one of the field's options | `eq`, `ne`, `in`, `is_null` | yes | `text` |
            | `multi_select` | array of distinct options of the field; a filter value is one option | `contains`, `is_null`
            | no | `jsonb` |
            | `json` | any JSON value, stored as `jsonb` (object key order and duplicate keys are not kept) | `is_null` | no
            | `jsonb` |
            | `uuid` | string UUID; returned in lowercase | `eq`, `ne`, `in`, `is_null` | yes | `uuid` |
        value (Any): A value in the field's form (a list for `in`, `between`), or `{"param": "<name>"}`.
    """

    field: str
    op: Operator
    value: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        op = self.op.value

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "op": op,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field = d.pop("field")

        op = Operator(d.pop("op"))

        value = d.pop("value")

        view_spec_filters_item = cls(
            field=field,
            op=op,
            value=value,
        )

        view_spec_filters_item.additional_properties = d
        return view_spec_filters_item

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
