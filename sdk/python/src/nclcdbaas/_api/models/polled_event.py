from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.record import Record


T = TypeVar("T", bound="PolledEvent")


@_attrs_define
class PolledEvent:
    """One change, as a long poll answers it.

    Attributes:
        changed_fields (list[str]): The fields the change set to another value, among those the caller reads.
        id (UUID):
        position (str): The position just after this change.
        record (None | Record): The record as the caller may see it when the event is sent (its `fields`, the table's
            policies); null for a deletion.
        table (str): The table's name.
        type_ (str): `record.created`, `record.updated` or `record.deleted`.
    """

    changed_fields: list[str]
    id: UUID
    position: str
    record: None | Record
    table: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.record import Record

        changed_fields = self.changed_fields

        id = str(self.id)

        position = self.position

        record: dict[str, Any] | None
        if isinstance(self.record, Record):
            record = self.record.to_dict()
        else:
            record = self.record

        table = self.table

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changed_fields": changed_fields,
                "id": id,
                "position": position,
                "record": record,
                "table": table,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.record import Record

        d = dict(src_dict)
        changed_fields = cast(list[str], d.pop("changed_fields"))

        id = UUID(d.pop("id"))

        position = d.pop("position")

        def _parse_record(data: object) -> None | Record:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                record_type_0 = Record.from_dict(data)

                return record_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Record, data)

        record = _parse_record(d.pop("record"))

        table = d.pop("table")

        type_ = d.pop("type")

        polled_event = cls(
            changed_fields=changed_fields,
            id=id,
            position=position,
            record=record,
            table=table,
            type_=type_,
        )

        polled_event.additional_properties = d
        return polled_event

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
