from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CloneRequest")


@_attrs_define
class CloneRequest:
    """`POST /api/v1/bases/{baseId}/clone`.

    Attributes:
        name (str): The copy's name.
        include_files (bool | Unset): Copy the attached files' bytes too (the default); without them, file fields are
            left empty in the copy. Default: True.
        workspace (None | Unset | UUID): The workspace to put it in (one the caller administers); the base's own by
            default.
    """

    name: str
    include_files: bool | Unset = True
    workspace: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        include_files = self.include_files

        workspace: None | str | Unset
        if isinstance(self.workspace, Unset):
            workspace = UNSET
        elif isinstance(self.workspace, UUID):
            workspace = str(self.workspace)
        else:
            workspace = self.workspace

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if include_files is not UNSET:
            field_dict["include_files"] = include_files
        if workspace is not UNSET:
            field_dict["workspace"] = workspace

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        include_files = d.pop("include_files", UNSET)

        def _parse_workspace(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                workspace_type_0 = UUID(data)

                return workspace_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        workspace = _parse_workspace(d.pop("workspace", UNSET))

        clone_request = cls(
            name=name,
            include_files=include_files,
            workspace=workspace,
        )

        return clone_request
