from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.operator import Operator

if TYPE_CHECKING:
    from ..models.filter_arg_type_0 import FilterArgType0


T = TypeVar("T", bound="ViewFilter")


@_attrs_define
class ViewFilter:
    """A condition of a view.

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
            | `link` | string UUID, the id of a record of the linked table (a missing record is a 422 naming the field);
            `include=<field>` embeds that record under `included` | `eq`, `ne`, `in`, `is_null` | yes | `uuid` |
            | `file` | array of attachments (at most 100). Write each as an upload's `file_id` (`POST /v1/files:signUpload`,
            then post the file with its form) or `{"id": …, "name": …}` to rename it; an empty array is null. Reads answer
            `{id, name, size, content_type, url}`, `url` a signed download address valid for 15 minutes. An unknown upload,
            one of another field, one the field's media types (its `options`) do not accept, or one not in the store with
            its announced size and checksum is a 422 naming the field | `is_null` | no | `jsonb` |
        value (Any | FilterArgType0): A filter's operand: a value in the field's JSON form (a list for `in` and
            `between`),
            or a parameter of the view.
    """

    field: str
    op: Operator
    value: Any | FilterArgType0

    def to_dict(self) -> dict[str, Any]:
        from ..models.filter_arg_type_0 import FilterArgType0

        field = self.field

        op = self.op.value

        value: Any | dict[str, Any]
        if isinstance(self.value, FilterArgType0):
            value = self.value.to_dict()
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
        from ..models.filter_arg_type_0 import FilterArgType0

        d = dict(src_dict)
        field = d.pop("field")

        op = Operator(d.pop("op"))

        def _parse_value(data: object) -> Any | FilterArgType0:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_filter_arg_type_0 = FilterArgType0.from_dict(data)

                return componentsschemas_filter_arg_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Any | FilterArgType0, data)

        value = _parse_value(d.pop("value"))

        view_filter = cls(
            field=field,
            op=op,
            value=value,
        )

        return view_filter
