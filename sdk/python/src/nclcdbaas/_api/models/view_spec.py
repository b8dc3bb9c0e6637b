from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.allowed_filter import AllowedFilter
    from ..models.param_spec import ParamSpec
    from ..models.view_filter import ViewFilter


T = TypeVar("T", bound="ViewSpec")


@_attrs_define
class ViewSpec:
    """A view as a management request describes it: tables and fields by name.

    Attributes:
        name (str):
        table (str): The base table, by name or id.
        allowed_filters (list[AllowedFilter] | Unset): Filters a caller may add, by returned field (or system column)
            and operators.
        allowed_sorts (list[str] | Unset): Returned fields or system columns a caller may sort on (`sort=field:asc`).
        default_limit (int | Unset):  Default: 25.
        description (str | Unset):  Default: ''.
        fields (list[str] | Unset): The fields returned, in order; empty returns every field the table has now (fields
            added later are not returned).
        filters (list[ViewFilter] | Unset): Conditions always applied, on any field of the table; a value may be a
            parameter
            (`{"param": "customer_id"}`).
        max_limit (int | Unset):  Default: 100.
        params (list[ParamSpec] | Unset):
        sort (list[str] | Unset): The default order: `field:asc`, `field:desc` (or `field.asc`), on returned fields or
            system columns.
    """

    name: str
    table: str
    allowed_filters: list[AllowedFilter] | Unset = UNSET
    allowed_sorts: list[str] | Unset = UNSET
    default_limit: int | Unset = 25
    description: str | Unset = ""
    fields: list[str] | Unset = UNSET
    filters: list[ViewFilter] | Unset = UNSET
    max_limit: int | Unset = 100
    params: list[ParamSpec] | Unset = UNSET
    sort: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        table = self.table

        allowed_filters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.allowed_filters, Unset):
            allowed_filters = []
            for allowed_filters_item_data in self.allowed_filters:
                allowed_filters_item = allowed_filters_item_data.to_dict()
                allowed_filters.append(allowed_filters_item)

        allowed_sorts: list[str] | Unset = UNSET
        if not isinstance(self.allowed_sorts, Unset):
            allowed_sorts = self.allowed_sorts

        default_limit = self.default_limit

        description = self.description

        fields: list[str] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields

        filters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = []
            for filters_item_data in self.filters:
                filters_item = filters_item_data.to_dict()
                filters.append(filters_item)

        max_limit = self.max_limit

        params: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = []
            for params_item_data in self.params:
                params_item = params_item_data.to_dict()
                params.append(params_item)

        sort: list[str] | Unset = UNSET
        if not isinstance(self.sort, Unset):
            sort = self.sort

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "table": table,
            }
        )
        if allowed_filters is not UNSET:
            field_dict["allowed_filters"] = allowed_filters
        if allowed_sorts is not UNSET:
            field_dict["allowed_sorts"] = allowed_sorts
        if default_limit is not UNSET:
            field_dict["default_limit"] = default_limit
        if description is not UNSET:
            field_dict["description"] = description
        if fields is not UNSET:
            field_dict["fields"] = fields
        if filters is not UNSET:
            field_dict["filters"] = filters
        if max_limit is not UNSET:
            field_dict["max_limit"] = max_limit
        if params is not UNSET:
            field_dict["params"] = params
        if sort is not UNSET:
            field_dict["sort"] = sort

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.allowed_filter import AllowedFilter
        from ..models.param_spec import ParamSpec
        from ..models.view_filter import ViewFilter

        d = dict(src_dict)
        name = d.pop("name")

        table = d.pop("table")

        _allowed_filters = d.pop("allowed_filters", UNSET)
        allowed_filters: list[AllowedFilter] | Unset = UNSET
        if _allowed_filters is not UNSET:
            allowed_filters = []
            for allowed_filters_item_data in _allowed_filters:
                allowed_filters_item = AllowedFilter.from_dict(
                    allowed_filters_item_data
                )

                allowed_filters.append(allowed_filters_item)

        allowed_sorts = cast(list[str], d.pop("allowed_sorts", UNSET))

        default_limit = d.pop("default_limit", UNSET)

        description = d.pop("description", UNSET)

        fields = cast(list[str], d.pop("fields", UNSET))

        _filters = d.pop("filters", UNSET)
        filters: list[ViewFilter] | Unset = UNSET
        if _filters is not UNSET:
            filters = []
            for filters_item_data in _filters:
                filters_item = ViewFilter.from_dict(filters_item_data)

                filters.append(filters_item)

        max_limit = d.pop("max_limit", UNSET)

        _params = d.pop("params", UNSET)
        params: list[ParamSpec] | Unset = UNSET
        if _params is not UNSET:
            params = []
            for params_item_data in _params:
                params_item = ParamSpec.from_dict(params_item_data)

                params.append(params_item)

        sort = cast(list[str], d.pop("sort", UNSET))

        view_spec = cls(
            name=name,
            table=table,
            allowed_filters=allowed_filters,
            allowed_sorts=allowed_sorts,
            default_limit=default_limit,
            description=description,
            fields=fields,
            filters=filters,
            max_limit=max_limit,
            params=params,
            sort=sort,
        )

        return view_spec
