from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="IndexBuild")


@_attrs_define
class IndexBuild:
    """An index build in progress, as Postgres reports it (`pg_stat_progress_create_index`).

    Attributes:
        blocks_done (int):
        blocks_total (int):
        lockers_done (int): Transactions the build waits for (it waits for older transactions to end).
        lockers_total (int):
        phase (str): What Postgres is doing, e.g. `building index: scanning table`.
        tuples_done (int):
        tuples_total (int):
    """

    blocks_done: int
    blocks_total: int
    lockers_done: int
    lockers_total: int
    phase: str
    tuples_done: int
    tuples_total: int

    def to_dict(self) -> dict[str, Any]:
        blocks_done = self.blocks_done

        blocks_total = self.blocks_total

        lockers_done = self.lockers_done

        lockers_total = self.lockers_total

        phase = self.phase

        tuples_done = self.tuples_done

        tuples_total = self.tuples_total

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "blocks_done": blocks_done,
                "blocks_total": blocks_total,
                "lockers_done": lockers_done,
                "lockers_total": lockers_total,
                "phase": phase,
                "tuples_done": tuples_done,
                "tuples_total": tuples_total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        blocks_done = d.pop("blocks_done")

        blocks_total = d.pop("blocks_total")

        lockers_done = d.pop("lockers_done")

        lockers_total = d.pop("lockers_total")

        phase = d.pop("phase")

        tuples_done = d.pop("tuples_done")

        tuples_total = d.pop("tuples_total")

        index_build = cls(
            blocks_done=blocks_done,
            blocks_total=blocks_total,
            lockers_done=lockers_done,
            lockers_total=lockers_total,
            phase=phase,
            tuples_done=tuples_done,
            tuples_total=tuples_total,
        )

        return index_build
