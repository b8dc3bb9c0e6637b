from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dropped_kind import DroppedKind

T = TypeVar("T", bound="Dropped")


@_attrs_define
class Dropped:
    """A soft-dropped table or field, kept (columns, values, history) until it is purged.

    Attributes:
        dependents (list[str]): What still names it (views of a dropped table); a purge waits for them.
        dropped_at (str):
        id (UUID):
        kind (DroppedKind):
        name (str):
        purgeable (bool):
        purgeable_at (str): From when it may be purged: its retention, for second thoughts, ends.
        restore_op (None | UUID): The drop, when reverting it (`POST …/schema-ops/{opId}/revert`) can restore the
            table or field now; null when a later change must be reverted first.
        table (str):
        table_id (UUID): Its table (the table itself for a dropped table).
    """

    dependents: list[str]
    dropped_at: str
    id: UUID
    kind: DroppedKind
    name: str
    purgeable: bool
    purgeable_at: str
    restore_op: None | UUID
    table: str
    table_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dependents = self.dependents

        dropped_at = self.dropped_at

        id = str(self.id)

        kind = self.kind.value

        name = self.name

        purgeable = self.purgeable

        purgeable_at = self.purgeable_at

        restore_op: None | str
        if isinstance(self.restore_op, UUID):
            restore_op = str(self.restore_op)
        else:
            restore_op = self.restore_op

        table = self.table

        table_id = str(self.table_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dependents": dependents,
                "dropped_at": dropped_at,
                "id": id,
                "kind": kind,
                "name": name,
                "purgeable": purgeable,
                "purgeable_at": purgeable_at,
                "restore_op": restore_op,
                "table": table,
                "table_id": table_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        dependents = cast(list[str], d.pop("dependents"))

        dropped_at = d.pop("dropped_at")

        id = UUID(d.pop("id"))

        kind = DroppedKind(d.pop("kind"))

        name = d.pop("name")

        purgeable = d.pop("purgeable")

        purgeable_at = d.pop("purgeable_at")

        def _parse_restore_op(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                restore_op_type_0 = UUID(data)

                return restore_op_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        restore_op = _parse_restore_op(d.pop("restore_op"))

        table = d.pop("table")

        table_id = UUID(d.pop("table_id"))

        dropped = cls(
            dependents=dependents,
            dropped_at=dropped_at,
            id=id,
            kind=kind,
            name=name,
            purgeable=purgeable,
            purgeable_at=purgeable_at,
            restore_op=restore_op,
            table=table,
            table_id=table_id,
        )

        dropped.additional_properties = d
        return dropped

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
