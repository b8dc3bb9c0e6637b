from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.undo_item import UndoItem


T = TypeVar("T", bound="UndoReport")


@_attrs_define
class UndoReport:
    """What undoing a base's changes after a time writes (or, for a dry run, would write).

    Attributes:
        after (str): The time given: records go back to what they were then.
        changes (int): Changes logged after `after`, up to `through`.
        deleted (int): Records created since, deleted.
        dry_run (bool): True when nothing was written.
        records (list[UndoItem]): The first records written (up to 100), latest first: the order the undo writes them.
        recreated (int): Records deleted since, created again with their ids.
        skipped_tables (list[str]): Tables changed since that the base no longer has: their records are left alone.
        through (int): The last change covered; pass it back as `through` to undo exactly what a preview
            showed.
        unchanged (int): Records changed since but the same again (or created and deleted since): left alone.
        updated (int): Records written back to their values at `after`.
    """

    after: str
    changes: int
    deleted: int
    dry_run: bool
    records: list[UndoItem]
    recreated: int
    skipped_tables: list[str]
    through: int
    unchanged: int
    updated: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        after = self.after

        changes = self.changes

        deleted = self.deleted

        dry_run = self.dry_run

        records = []
        for records_item_data in self.records:
            records_item = records_item_data.to_dict()
            records.append(records_item)

        recreated = self.recreated

        skipped_tables = self.skipped_tables

        through = self.through

        unchanged = self.unchanged

        updated = self.updated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "after": after,
                "changes": changes,
                "deleted": deleted,
                "dry_run": dry_run,
                "records": records,
                "recreated": recreated,
                "skipped_tables": skipped_tables,
                "through": through,
                "unchanged": unchanged,
                "updated": updated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.undo_item import UndoItem

        d = dict(src_dict)
        after = d.pop("after")

        changes = d.pop("changes")

        deleted = d.pop("deleted")

        dry_run = d.pop("dry_run")

        records = []
        _records = d.pop("records")
        for records_item_data in _records:
            records_item = UndoItem.from_dict(records_item_data)

            records.append(records_item)

        recreated = d.pop("recreated")

        skipped_tables = cast(list[str], d.pop("skipped_tables"))

        through = d.pop("through")

        unchanged = d.pop("unchanged")

        updated = d.pop("updated")

        undo_report = cls(
            after=after,
            changes=changes,
            deleted=deleted,
            dry_run=dry_run,
            records=records,
            recreated=recreated,
            skipped_tables=skipped_tables,
            through=through,
            unchanged=unchanged,
            updated=updated,
        )

        undo_report.additional_properties = d
        return undo_report

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
