from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChangeEntry")


@_attrs_define
class ChangeEntry:
    """One committed write of one record.

    Attributes:
        actor (str): Who wrote it: `token:<id>` (an API token) or `user:<id>` (a member).
        after (Any): The record after the change; null for a delete.
        at (str):
        before (Any): The record before the change; null for an insert.
        op (str): `insert`, `update` or `delete`.
        record_id (UUID):
        request_id (str): The request that made the change.
        seq (int): The change's sequence number in the base (taken when written, so transactions may
            commit out of this order).
        table_id (UUID):
    """

    actor: str
    after: Any
    at: str
    before: Any
    op: str
    record_id: UUID
    request_id: str
    seq: int
    table_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        after = self.after

        at = self.at

        before = self.before

        op = self.op

        record_id = str(self.record_id)

        request_id = self.request_id

        seq = self.seq

        table_id = str(self.table_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "after": after,
                "at": at,
                "before": before,
                "op": op,
                "record_id": record_id,
                "request_id": request_id,
                "seq": seq,
                "table_id": table_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        actor = d.pop("actor")

        after = d.pop("after")

        at = d.pop("at")

        before = d.pop("before")

        op = d.pop("op")

        record_id = UUID(d.pop("record_id"))

        request_id = d.pop("request_id")

        seq = d.pop("seq")

        table_id = UUID(d.pop("table_id"))

        change_entry = cls(
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

        change_entry.additional_properties = d
        return change_entry

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
