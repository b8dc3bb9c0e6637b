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
        allowed = self.allowed

        current_etag = self.current_etag

        current_version = self.current_version

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        field = self.field

        header = self.header

        id = self.id

        index = self.index

        max_ = self.max_

        max_bytes = self.max_bytes

        max_depth = self.max_depth

        max_items = self.max_items

        missing: list[str] | Unset = UNSET
        if not isinstance(self.missing, Unset):
            missing = self.missing

        operator = self.operator

        options: list[str] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options

        parameter = self.parameter

        path = self.path

        reason = self.reason

        required = self.required

        table = self.table

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
        allowed = d.pop("allowed", UNSET)

        current_etag = d.pop("current_etag", UNSET)

        current_version = d.pop("current_version", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)

                errors.append(errors_item)

        field = d.pop("field", UNSET)

        header = d.pop("header", UNSET)

        id = d.pop("id", UNSET)

        index = d.pop("index", UNSET)

        max_ = d.pop("max", UNSET)

        max_bytes = d.pop("max_bytes", UNSET)

        max_depth = d.pop("max_depth", UNSET)

        max_items = d.pop("max_items", UNSET)

        missing = cast(list[str], d.pop("missing", UNSET))

        operator = d.pop("operator", UNSET)

        options = cast(list[str], d.pop("options", UNSET))

        parameter = d.pop("parameter", UNSET)

        path = d.pop("path", UNSET)

        reason = d.pop("reason", UNSET)

        required = d.pop("required", UNSET)

        table = d.pop("table", UNSET)

        type_ = d.pop("type", UNSET)

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
