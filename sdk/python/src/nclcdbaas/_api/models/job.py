from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_progress import JobProgress
    from ..models.job_result import JobResult
    from ..models.row_error import RowError


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """A job as the API shows it.

    Attributes:
        created_at (datetime.datetime):
        created_by (str): Who started it: `token:<id>` or `user:<id>`, as the change log names writers.
        dry_run (bool):
        error (Any): When it failed: why, in the API's error shape (`code`, `message`, `details`).
        finished_at (datetime.datetime | None):
        id (UUID):
        kind (str): `import_csv`, `export_csv`, `export_base` or `restore_base`.
        progress (JobProgress):
        result (JobResult | None): When it succeeded: what it made.
        started_at (datetime.datetime | None):
        state (str): `queued`, `running`, `succeeded`, `failed` or `cancelled`.
        table_id (None | UUID): The table of a CSV import or export; none for a whole base's.
        errors_preview (list[RowError] | Unset): An import's first rejected rows (the error report has them all).
    """

    created_at: datetime.datetime
    created_by: str
    dry_run: bool
    error: Any
    finished_at: datetime.datetime | None
    id: UUID
    kind: str
    progress: JobProgress
    result: JobResult | None
    started_at: datetime.datetime | None
    state: str
    table_id: None | UUID
    errors_preview: list[RowError] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_result import JobResult

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        dry_run = self.dry_run

        error = self.error

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = str(self.id)

        kind = self.kind

        progress = self.progress.to_dict()

        result: dict[str, Any] | None
        if isinstance(self.result, JobResult):
            result = self.result.to_dict()
        else:
            result = self.result

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        state = self.state

        table_id: None | str
        if isinstance(self.table_id, UUID):
            table_id = str(self.table_id)
        else:
            table_id = self.table_id

        errors_preview: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors_preview, Unset):
            errors_preview = []
            for errors_preview_item_data in self.errors_preview:
                errors_preview_item = errors_preview_item_data.to_dict()
                errors_preview.append(errors_preview_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "dry_run": dry_run,
                "error": error,
                "finished_at": finished_at,
                "id": id,
                "kind": kind,
                "progress": progress,
                "result": result,
                "started_at": started_at,
                "state": state,
                "table_id": table_id,
            }
        )
        if errors_preview is not UNSET:
            field_dict["errors_preview"] = errors_preview

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.job_progress import JobProgress
        from ..models.job_result import JobResult
        from ..models.row_error import RowError

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        dry_run = d.pop("dry_run")

        error = d.pop("error")

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        progress = JobProgress.from_dict(d.pop("progress"))

        def _parse_result(data: object) -> JobResult | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = JobResult.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobResult | None, data)

        result = _parse_result(d.pop("result"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        state = d.pop("state")

        def _parse_table_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                table_id_type_0 = UUID(data)

                return table_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        table_id = _parse_table_id(d.pop("table_id"))

        _errors_preview = d.pop("errors_preview", UNSET)
        errors_preview: list[RowError] | Unset = UNSET
        if _errors_preview is not UNSET:
            errors_preview = []
            for errors_preview_item_data in _errors_preview:
                errors_preview_item = RowError.from_dict(errors_preview_item_data)

                errors_preview.append(errors_preview_item)

        job = cls(
            created_at=created_at,
            created_by=created_by,
            dry_run=dry_run,
            error=error,
            finished_at=finished_at,
            id=id,
            kind=kind,
            progress=progress,
            result=result,
            started_at=started_at,
            state=state,
            table_id=table_id,
            errors_preview=errors_preview,
        )

        job.additional_properties = d
        return job

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
