from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cache_policy import CachePolicy
    from ..models.meta_auth import MetaAuth
    from ..models.meta_endpoint import MetaEndpoint
    from ..models.meta_examples import MetaExamples
    from ..models.meta_filter import MetaFilter
    from ..models.meta_pagination import MetaPagination
    from ..models.meta_param import MetaParam
    from ..models.meta_sort import MetaSort
    from ..models.meta_view import MetaView


T = TypeVar("T", bound="ViewMeta")


@_attrs_define
class ViewMeta:
    """How to call a published view (`GET /public/views/{slug}/meta`): its endpoint, parameters,
    filters, sorts, pagination, the JSON Schema of its page, and examples that work as they are.

        Attributes:
            auth (MetaAuth): What a caller must send.
            cache (CachePolicy): How the edge caches a view's answers (seconds).
            endpoint (MetaEndpoint):
            examples (MetaExamples): Calls of the view that work as they are (with a key or token where it needs one).
            filters (list[MetaFilter]): The filters callers may add.
            pagination (MetaPagination):
            params (list[MetaParam]):
            response (Any): The JSON Schema of a page of the view.
            sort (MetaSort):
            view (MetaView): The view as published.
    """

    auth: MetaAuth
    cache: CachePolicy
    endpoint: MetaEndpoint
    examples: MetaExamples
    filters: list[MetaFilter]
    pagination: MetaPagination
    params: list[MetaParam]
    response: Any
    sort: MetaSort
    view: MetaView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auth = self.auth.to_dict()

        cache = self.cache.to_dict()

        endpoint = self.endpoint.to_dict()

        examples = self.examples.to_dict()

        filters = []
        for filters_item_data in self.filters:
            filters_item = filters_item_data.to_dict()
            filters.append(filters_item)

        pagination = self.pagination.to_dict()

        params = []
        for params_item_data in self.params:
            params_item = params_item_data.to_dict()
            params.append(params_item)

        response = self.response

        sort = self.sort.to_dict()

        view = self.view.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "auth": auth,
                "cache": cache,
                "endpoint": endpoint,
                "examples": examples,
                "filters": filters,
                "pagination": pagination,
                "params": params,
                "response": response,
                "sort": sort,
                "view": view,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cache_policy import CachePolicy
        from ..models.meta_auth import MetaAuth
        from ..models.meta_endpoint import MetaEndpoint
        from ..models.meta_examples import MetaExamples
        from ..models.meta_filter import MetaFilter
        from ..models.meta_pagination import MetaPagination
        from ..models.meta_param import MetaParam
        from ..models.meta_sort import MetaSort
        from ..models.meta_view import MetaView

        d = dict(src_dict)
        auth = MetaAuth.from_dict(d.pop("auth"))

        cache = CachePolicy.from_dict(d.pop("cache"))

        endpoint = MetaEndpoint.from_dict(d.pop("endpoint"))

        examples = MetaExamples.from_dict(d.pop("examples"))

        filters = []
        _filters = d.pop("filters")
        for filters_item_data in _filters:
            filters_item = MetaFilter.from_dict(filters_item_data)

            filters.append(filters_item)

        pagination = MetaPagination.from_dict(d.pop("pagination"))

        params = []
        _params = d.pop("params")
        for params_item_data in _params:
            params_item = MetaParam.from_dict(params_item_data)

            params.append(params_item)

        response = d.pop("response")

        sort = MetaSort.from_dict(d.pop("sort"))

        view = MetaView.from_dict(d.pop("view"))

        view_meta = cls(
            auth=auth,
            cache=cache,
            endpoint=endpoint,
            examples=examples,
            filters=filters,
            pagination=pagination,
            params=params,
            response=response,
            sort=sort,
            view=view,
        )

        view_meta.additional_properties = d
        return view_meta

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
