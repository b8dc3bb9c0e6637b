from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError


T = TypeVar("T", bound="ErrorDetails")


@_attrs_define
class ErrorDetails:
    """Structured facts about the error; which keys appear depends on the code.

    Attributes:
        allowed (str | Unset): The methods the path allows.
        current_etag (str | Unset): The record's current ETag, on a 412.
        current_version (int | Unset):
        errors (list[FieldError] | Unset): Every problem of a `VALIDATION_ERROR`.
        field (str | Unset): The field concerned (the first one, with `errors`).
        header (str | Unset): The header concerned.
        id (str | Unset):
        index (int | Unset): The batch item concerned.
        max_ (int | Unset):
        max_bytes (int | Unset):
        max_depth (int | Unset):
        max_items (int | Unset):
        missing (list[str] | Unset): Ids of a batch delete that are not records of the table.
        operator (str | Unset):
        options (list[str] | Unset):
        parameter (str | Unset): The query parameter concerned.
        path (str | Unset): The URL path, or where in `where` the problem is.
        reason (str | Unset): As `errors[].code`.
        required (str | Unset): The scope the operation needs.
        table (str | Unset):
        type_ (str | Unset): The field's type.
    """

    allowed: str | Unset = UNSET
    current_etag: str | Unset = UNSET
    current_version: int | Unset = UNSET
    errors: list[FieldError] | Unset = UNSET
    field: str | Unset = UNSET
    header: str | Unset = UNSET
    id: str | Unset = UNSET
    index: int | Unset = UNSET
    max_: int | Unset = UNSET
    max_bytes: int | Unset = UNSET
    max_depth: int | Unset = UNSET
    max_items: int | Unset = UNSET
    missing: list[str] | Unset = UNSET
    operator: str | Unset = UNSET
    options: list[str] | Unset = UNSET
    parameter: str | Unset = UNSET
    path: str | Unset = UNSET
    reason: str | Unset = UNSET
    required: str | Unset = UNSET
    table: str | Unset = UNSET
    type_: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allowed: str | Unset
        if isinstance(self.allowed, Unset):
            allowed = UNSET
        else:
            allowed = self.allowed

        current_etag: str | Unset
        if isinstance(self.current_etag, Unset):
            current_etag = UNSET
        else:
            current_etag = self.current_etag

        current_version: int | Unset
        if isinstance(self.current_version, Unset):
            current_version = UNSET
        else:
            current_version = self.current_version

        errors: list[dict[str, Any]] | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        else:
            errors = []
            for errors_type_0_item_data in self.errors:
                errors_type_0_item = errors_type_0_item_data.to_dict()
                errors.append(errors_type_0_item)

        field: str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        header: str | Unset
        if isinstance(self.header, Unset):
            header = UNSET
        else:
            header = self.header

        id: str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        index: int | Unset
        if isinstance(self.index, Unset):
            index = UNSET
        else:
            index = self.index

        max_: int | Unset
        if isinstance(self.max_, Unset):
            max_ = UNSET
        else:
            max_ = self.max_

        max_bytes: int | Unset
        if isinstance(self.max_bytes, Unset):
            max_bytes = UNSET
        else:
            max_bytes = self.max_bytes

        max_depth: int | Unset
        if isinstance(self.max_depth, Unset):
            max_depth = UNSET
        else:
            max_depth = self.max_depth

        max_items: int | Unset
        if isinstance(self.max_items, Unset):
            max_items = UNSET
        else:
            max_items = self.max_items

        missing: list[str] | Unset
        if isinstance(self.missing, Unset):
            missing = UNSET
        else:
            missing = self.missing

        operator: str | Unset
        if isinstance(self.operator, Unset):
            operator = UNSET
        else:
            operator = self.operator

        options: list[str] | Unset
        if isinstance(self.options, Unset):
            options = UNSET
        else:
            options = self.options

        parameter: str | Unset
        if isinstance(self.parameter, Unset):
            parameter = UNSET
        else:
            parameter = self.parameter

        path: str | Unset
        if isinstance(self.path, Unset):
            path = UNSET
        else:
            path = self.path

        reason: str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        required: str | Unset
        if isinstance(self.required, Unset):
            required = UNSET
        else:
            required = self.required

        table: str | Unset
        if isinstance(self.table, Unset):
            table = UNSET
        else:
            table = self.table

        type_: str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if allowed is not UNSET:
            field_dict["allowed"] = allowed
        if current_etag is not UNSET:
            field_dict["current_etag"] = current_etag
        if current_version is not UNSET:
            field_dict["current_version"] = current_version
        if errors is not UNSET:
            field_dict["errors"] = errors
        if field is not UNSET:
            field_dict["field"] = field
        if header is not UNSET:
            field_dict["header"] = header
        if id is not UNSET:
            field_dict["id"] = id
        if index is not UNSET:
            field_dict["index"] = index
        if max_ is not UNSET:
            field_dict["max"] = max_
        if max_bytes is not UNSET:
            field_dict["max_bytes"] = max_bytes
        if max_depth is not UNSET:
            field_dict["max_depth"] = max_depth
        if max_items is not UNSET:
            field_dict["max_items"] = max_items
        if missing is not UNSET:
            field_dict["missing"] = missing
        if operator is not UNSET:
            field_dict["operator"] = operator
        if options is not UNSET:
            field_dict["options"] = options
        if parameter is not UNSET:
            field_dict["parameter"] = parameter
        if path is not UNSET:
            field_dict["path"] = path
        if reason is not UNSET:
            field_dict["reason"] = reason
        if required is not UNSET:
            field_dict["required"] = required
        if table is not UNSET:
            field_dict["table"] = table
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_error import FieldError

        d = dict(src_dict)

        def _parse_allowed(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        allowed = _parse_allowed(d.pop("allowed", UNSET))

        def _parse_current_etag(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        current_etag = _parse_current_etag(d.pop("current_etag", UNSET))

        def _parse_current_version(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        current_version = _parse_current_version(d.pop("current_version", UNSET))

        def _parse_errors(data: object) -> list[FieldError] | Unset:
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                raise TypeError()
            errors_type_0 = []
            _errors_type_0 = data
            for errors_type_0_item_data in _errors_type_0:
                errors_type_0_item = FieldError.from_dict(errors_type_0_item_data)

                errors_type_0.append(errors_type_0_item)

            return errors_type_0

        errors = _parse_errors(d.pop("errors", UNSET))

        def _parse_field(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))

        def _parse_header(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        header = _parse_header(d.pop("header", UNSET))

        def _parse_id(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_index(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        index = _parse_index(d.pop("index", UNSET))

        def _parse_max_(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        max_ = _parse_max_(d.pop("max", UNSET))

        def _parse_max_bytes(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        max_bytes = _parse_max_bytes(d.pop("max_bytes", UNSET))

        def _parse_max_depth(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        max_depth = _parse_max_depth(d.pop("max_depth", UNSET))

        def _parse_max_items(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        max_items = _parse_max_items(d.pop("max_items", UNSET))

        def _parse_missing(data: object) -> list[str] | Unset:
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                raise TypeError()
            missing_type_0 = cast(list[str], data)

            return missing_type_0

        missing = _parse_missing(d.pop("missing", UNSET))

        def _parse_operator(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        operator = _parse_operator(d.pop("operator", UNSET))

        def _parse_options(data: object) -> list[str] | Unset:
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                raise TypeError()
            options_type_0 = cast(list[str], data)

            return options_type_0

        options = _parse_options(d.pop("options", UNSET))

        def _parse_parameter(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        parameter = _parse_parameter(d.pop("parameter", UNSET))

        def _parse_path(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        path = _parse_path(d.pop("path", UNSET))

        def _parse_reason(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_required(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        required = _parse_required(d.pop("required", UNSET))

        def _parse_table(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        table = _parse_table(d.pop("table", UNSET))

        def _parse_type_(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        error_details = cls(
            allowed=allowed,
            current_etag=current_etag,
            current_version=current_version,
            errors=errors,
            field=field,
            header=header,
            id=id,
            index=index,
            max_=max_,
            max_bytes=max_bytes,
            max_depth=max_depth,
            max_items=max_items,
            missing=missing,
            operator=operator,
            options=options,
            parameter=parameter,
            path=path,
            reason=reason,
            required=required,
            table=table,
            type_=type_,
        )

        error_details.additional_properties = d
        return error_details

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
