from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.operator import Operator

T = TypeVar("T", bound="Condition")


@_attrs_define
class Condition:
    """
    Attributes:
        field (str): A field name or a system column.
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
            | `link` | string UUID, the id of a record of the linked table (a missing record is a 422 naming the field);
            `include=<field>` embeds that record under `included` | `eq`, `ne`, `in`, `is_null` | yes | `uuid` |
            | `file` | array of attachments (at most 100). Write each as an upload's `file_id` (`POST /v1/files:signUpload`,
            then post the file with its form) or `{"id": …, "name": …}` to rename it; an empty array is null. Reads answer
            `{id, name, size, content_type, url}`, `url` a signed download address valid for 15 minutes. An unknown upload,
            one of another field, one the field's media types (its `options`) do not accept, or one not in the store with
            its announced size and checksum is a 422 naming the field | `is_null` | no | `jsonb` |
        value (bool | float | list[bool | float | str] | str): A string, number or boolean in the field's form; a list
            for `in` (1 to 100) and `between` (low, high).
    """

    field: str
    op: Operator
    value: bool | float | list[bool | float | str] | str

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        op = self.op.value

        value: bool | float | list[bool | float | str] | str
        if isinstance(self.value, list):
            value = []
            for value_type_1_item_data in self.value:
                value_type_1_item: bool | float | str
                value_type_1_item = value_type_1_item_data
                value.append(value_type_1_item)

        else:
            value = self.value

        field_dict: dict[str, Any] = {}

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

        def _parse_value(data: object) -> bool | float | list[bool | float | str] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                value_type_1 = []
                _value_type_1 = data
                for value_type_1_item_data in _value_type_1:

                    def _parse_value_type_1_item(data: object) -> bool | float | str:
                        return cast(bool | float | str, data)

                    value_type_1_item = _parse_value_type_1_item(value_type_1_item_data)

                    value_type_1.append(value_type_1_item)

                return value_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(bool | float | list[bool | float | str] | str, data)

        value = _parse_value(d.pop("value"))

        condition = cls(
            field=field,
            op=op,
            value=value,
        )

        return condition
