from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.change_entry import ChangeEntry


T = TypeVar("T", bound="ChangeFeed")


@_attrs_define
class ChangeFeed:
    """Committed changes of a base's records from a position, and the position after them.

    Attributes:
        data (list[ChangeEntry]): In sequence order.
        has_more (bool): More changes are ready: read on at once.
        position (str): Pass it as `after` to read on from here.
        reset (bool): `after` was older than the change log the base keeps (its plan's
            `change_log_retention_days`; the audit log keeps changes longer): `position` is now,
            and the changes in between are in the audit log only.
    """

    data: list[ChangeEntry]
    has_more: bool
    position: str
    reset: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        has_more = self.has_more

        position = self.position

        reset = self.reset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "has_more": has_more,
                "position": position,
                "reset": reset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.change_entry import ChangeEntry

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = ChangeEntry.from_dict(data_item_data)

            data.append(data_item)

        has_more = d.pop("has_more")

        position = d.pop("position")

        reset = d.pop("reset")

        change_feed = cls(
            data=data,
            has_more=has_more,
            position=position,
            reset=reset,
        )

        change_feed.additional_properties = d
        return change_feed

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
