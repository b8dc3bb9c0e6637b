from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChangeFeedDataItem")


@_attrs_define
class ChangeFeedDataItem:
    """
    Attributes:
        actor (str | Unset):
        after (Any | Unset):
        at (str | Unset):
        before (Any | Unset):
        op (str | Unset):
        record_id (UUID | Unset):
        request_id (str | Unset):
        seq (int | Unset):
        table_id (UUID | Unset):
    """

    actor: str | Unset = UNSET
    after: Any | Unset = UNSET
    at: str | Unset = UNSET
    before: Any | Unset = UNSET
    op: str | Unset = UNSET
    record_id: UUID | Unset = UNSET
    request_id: str | Unset = UNSET
    seq: int | Unset = UNSET
    table_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        after = self.after

        at = self.at

        before = self.before

        op = self.op

        record_id: str | Unset = UNSET
        if not isinstance(self.record_id, Unset):
            record_id = str(self.record_id)

        request_id = self.request_id

        seq = self.seq

        table_id: str | Unset = UNSET
        if not isinstance(self.table_id, Unset):
            table_id = str(self.table_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if actor is not UNSET:
            field_dict["actor"] = actor
        if after is not UNSET:
            field_dict["after"] = after
        if at is not UNSET:
            field_dict["at"] = at
        if before is not UNSET:
            field_dict["before"] = before
        if op is not UNSET:
            field_dict["op"] = op
        if record_id is not UNSET:
            field_dict["record_id"] = record_id
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if seq is not UNSET:
            field_dict["seq"] = seq
        if table_id is not UNSET:
            field_dict["table_id"] = table_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        actor = d.pop("actor", UNSET)

        after = d.pop("after", UNSET)

        at = d.pop("at", UNSET)

        before = d.pop("before", UNSET)

        op = d.pop("op", UNSET)

        _record_id = d.pop("record_id", UNSET)
        record_id: UUID | Unset
        if isinstance(_record_id, Unset):
            record_id = UNSET
        else:
            record_id = UUID(_record_id)

        request_id = d.pop("request_id", UNSET)

        seq = d.pop("seq", UNSET)

        _table_id = d.pop("table_id", UNSET)
        table_id: UUID | Unset
        if isinstance(_table_id, Unset):
            table_id = UNSET
        else:
            table_id = UUID(_table_id)

        change_feed_data_item = cls(
            actor=actor,
            after=after,
            at=at,
            before=before,
            op=op,
            record_id=record_id,
            request_id=request_id,
            seq=seq,
            table_id=table_id,
        )

        change_feed_data_item.additional_properties = d
        return change_feed_data_item

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
