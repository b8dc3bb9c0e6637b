from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.polled_event import PolledEvent


T = TypeVar("T", bound="RecordChanges")


@_attrs_define
class RecordChanges:
    """A table's changes after a position (`pollRecords`, the long-poll form of
    `watchRecords`).

        Attributes:
            data (list[PolledEvent]): The changes after the position (none when the wait ran out), each with the position
                just after it.
            position (str): Where to poll from next: after every change read, those the filters left out too.
            reset (bool | None): Present and true when `after` was older than the change log the base keeps: no
                changes, `position` is now; load what the client shows again, then poll from it.
    """

    data: list[PolledEvent]
    position: str
    reset: bool | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        position = self.position

        reset: bool | None
        reset = self.reset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "position": position,
                "reset": reset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.polled_event import PolledEvent

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = PolledEvent.from_dict(data_item_data)

            data.append(data_item)

        position = d.pop("position")

        def _parse_reset(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        reset = _parse_reset(d.pop("reset"))

        record_changes = cls(
            data=data,
            position=position,
            reset=reset,
        )

        record_changes.additional_properties = d
        return record_changes

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
