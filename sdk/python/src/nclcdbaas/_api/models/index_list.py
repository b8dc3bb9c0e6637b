from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.index_build import IndexBuild
    from ..models.index_info import IndexInfo


T = TypeVar("T", bound="IndexList")


@_attrs_define
class IndexList:
    """A table's indexes, and the index builds running on it now.

    Attributes:
        building (list[IndexBuild]):
        data (list[IndexInfo]):
    """

    building: list[IndexBuild]
    data: list[IndexInfo]

    def to_dict(self) -> dict[str, Any]:
        building = []
        for building_item_data in self.building:
            building_item = building_item_data.to_dict()
            building.append(building_item)

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "building": building,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.index_build import IndexBuild
        from ..models.index_info import IndexInfo

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

        index_list = cls(
            building=building,
            data=data,
        )

        return index_list
