from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.index_build import IndexBuild
    from ..models.index_info import IndexInfo
    from ..models.index_suggestion import IndexSuggestion


T = TypeVar("T", bound="IndexList")


@_attrs_define
class IndexList:
    """A table's indexes, and the index builds running on it now.

    Attributes:
        building (list[IndexBuild]):
        data (list[IndexInfo]):
        suggested (list[IndexSuggestion]): Indexes the table's slow lists would have used (since the origin started):
            lists
            that sorted, or else filtered, on a field no index leads with.
    """

    building: list[IndexBuild]
    data: list[IndexInfo]
    suggested: list[IndexSuggestion]

    def to_dict(self) -> dict[str, Any]:
        building = []
        for building_item_data in self.building:
            building_item = building_item_data.to_dict()
            building.append(building_item)

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        suggested = []
        for suggested_item_data in self.suggested:
            suggested_item = suggested_item_data.to_dict()
            suggested.append(suggested_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "building": building,
                "data": data,
                "suggested": suggested,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.index_build import IndexBuild
        from ..models.index_info import IndexInfo
        from ..models.index_suggestion import IndexSuggestion

        d = dict(src_dict)
        building = []
        _building = d.pop("building")
        for building_item_data in _building:
            building_item = IndexBuild.from_dict(building_item_data)

            building.append(building_item)

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = IndexInfo.from_dict(data_item_data)

            data.append(data_item)

        suggested = []
        _suggested = d.pop("suggested")
        for suggested_item_data in _suggested:
            suggested_item = IndexSuggestion.from_dict(suggested_item_data)

            suggested.append(suggested_item)

        index_list = cls(
            building=building,
            data=data,
            suggested=suggested,
        )

        return index_list
