from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ArchiveSource")


@_attrs_define
class ArchiveSource:
    """Where a restore reads its archive.

    Attributes:
        base (UUID): A base the caller administers, holding the archive.
        file (None | Unset | UUID): An upload of that base (`files:signUpload`) holding an archive; or give `job`.
        job (None | Unset | UUID): A succeeded export job of that base; or give `file`.
    """

    base: UUID
    file: None | Unset | UUID = UNSET
    job: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        base = str(self.base)

        file: None | str | Unset
        if isinstance(self.file, Unset):
            file = UNSET
        elif isinstance(self.file, UUID):
            file = str(self.file)
        else:
            file = self.file

        job: None | str | Unset
        if isinstance(self.job, Unset):
            job = UNSET
        elif isinstance(self.job, UUID):
            job = str(self.job)
        else:
            job = self.job

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "base": base,
            }
        )
        if file is not UNSET:
            field_dict["file"] = file
        if job is not UNSET:
            field_dict["job"] = job

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        base = UUID(d.pop("base"))

        def _parse_file(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                file_type_0 = UUID(data)

                return file_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        file = _parse_file(d.pop("file", UNSET))

        def _parse_job(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                job_type_0 = UUID(data)

                return job_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        job = _parse_job(d.pop("job", UNSET))

        archive_source = cls(
            base=base,
            file=file,
            job=job,
        )

        return archive_source
