from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.record import Record


T = TypeVar("T", bound="RecordList")


@_attrs_define
class RecordList:
    """A page of records.

    Attributes:
        data (list[Record]):
        has_more (bool):
        next_cursor (None | str): Pass as `cursor` for the next page; null on the last.
        position (str): Where the table's changes stand as this page was read: send it as `Last-Event-ID`
            to `GET /v1/tables/{tableId}/events` to receive every change after this page, with
            no gap and none the page already shows.
    """

    data: list[Record]
    has_more: bool
    next_cursor: None | str
    position: str

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        has_more = self.has_more

        next_cursor: None | str
        next_cursor = self.next_cursor

        position = self.position

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
                "has_more": has_more,
                "next_cursor": next_cursor,
                "position": position,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.record import Record

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = Record.from_dict(data_item_data)

            data.append(data_item)

        has_more = d.pop("has_more")

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))

        position = d.pop("position")

        record_list = cls(
            data=data,
            has_more=has_more,
            next_cursor=next_cursor,
            position=position,
        )

        return record_list
