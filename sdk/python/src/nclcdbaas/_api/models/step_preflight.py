from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="StepPreflight")


@_attrs_define
class StepPreflight:
    """The lock one DDL step takes and the work it does under it.

    Attributes:
        blocks (str): What other requests that lock makes wait.
        estimate_ms (int):
        lock (str): The Postgres lock mode on the table (`none` for a new table).
        work (Literal['catalog'] | Literal['index_build'] | Literal['rewrite'] | Literal['scan'] |
            Literal['update_rows']): What a DDL step does to its table while it runs, for a change's preflight.
    """

    blocks: str
    estimate_ms: int
    lock: str
    work: Literal["catalog", "index_build", "rewrite", "scan", "update_rows"]

    def to_dict(self) -> dict[str, Any]:
        blocks = self.blocks

        estimate_ms = self.estimate_ms

        lock = self.lock

        work: Literal["catalog", "index_build", "rewrite", "scan", "update_rows"]
        work = self.work

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "blocks": blocks,
                "estimate_ms": estimate_ms,
                "lock": lock,
                "work": work,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        blocks = d.pop("blocks")

        estimate_ms = d.pop("estimate_ms")

        lock = d.pop("lock")

        def _parse_work(
            data: object,
        ) -> Literal["catalog", "index_build", "rewrite", "scan", "update_rows"]:
            componentsschemas_work_type_0 = cast(Literal["catalog"], data)
            if componentsschemas_work_type_0 != "catalog":
                raise ValueError(
                    f"/components/schemas/Work_type_0 must match const 'catalog', got '{componentsschemas_work_type_0}'"
                )
            return componentsschemas_work_type_0
            componentsschemas_work_type_1 = cast(Literal["scan"], data)
            if componentsschemas_work_type_1 != "scan":
                raise ValueError(
                    f"/components/schemas/Work_type_1 must match const 'scan', got '{componentsschemas_work_type_1}'"
                )
            return componentsschemas_work_type_1
            componentsschemas_work_type_2 = cast(Literal["index_build"], data)
            if componentsschemas_work_type_2 != "index_build":
                raise ValueError(
                    f"/components/schemas/Work_type_2 must match const 'index_build', got '{componentsschemas_work_type_2}'"
                )
            return componentsschemas_work_type_2
            componentsschemas_work_type_3 = cast(Literal["rewrite"], data)
            if componentsschemas_work_type_3 != "rewrite":
                raise ValueError(
                    f"/components/schemas/Work_type_3 must match const 'rewrite', got '{componentsschemas_work_type_3}'"
                )
            return componentsschemas_work_type_3
            componentsschemas_work_type_4 = cast(Literal["update_rows"], data)
            if componentsschemas_work_type_4 != "update_rows":
                raise ValueError(
                    f"/components/schemas/Work_type_4 must match const 'update_rows', got '{componentsschemas_work_type_4}'"
                )
            return componentsschemas_work_type_4

        work = _parse_work(d.pop("work"))

        step_preflight = cls(
            blocks=blocks,
            estimate_ms=estimate_ms,
            lock=lock,
            work=work,
        )

        return step_preflight
