from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.step_preflight import StepPreflight


T = TypeVar("T", bound="Preflight")


@_attrs_define
class Preflight:
    """What a schema change will do to the running base, before it runs.

    Attributes:
        dependents (list[str]): What names the table or the field: links, views, rules, unique sets, policies.
        estimate_ms (int): The sum of the steps' estimates, in milliseconds.
        rows (int): Postgres's estimate of its records.
        steps (list[StepPreflight]): One per DDL step, in order.
        table (str): The table the change alters (its records are what the estimates scale with).
    """

    dependents: list[str]
    estimate_ms: int
    rows: int
    steps: list[StepPreflight]
    table: str

    def to_dict(self) -> dict[str, Any]:
        dependents = self.dependents

        estimate_ms = self.estimate_ms

        rows = self.rows

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        table = self.table

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "dependents": dependents,
                "estimate_ms": estimate_ms,
                "rows": rows,
                "steps": steps,
                "table": table,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.step_preflight import StepPreflight

        d = dict(src_dict)
        dependents = cast(list[str], d.pop("dependents"))

        estimate_ms = d.pop("estimate_ms")

        rows = d.pop("rows")

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = StepPreflight.from_dict(steps_item_data)

            steps.append(steps_item)

        table = d.pop("table")

        preflight = cls(
            dependents=dependents,
            estimate_ms=estimate_ms,
            rows=rows,
            steps=steps,
            table=table,
        )

        return preflight
