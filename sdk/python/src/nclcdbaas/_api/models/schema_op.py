from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.schema_op_status import SchemaOpStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.schema_op_request import SchemaOpRequest
    from ..models.schema_op_steps_item import SchemaOpStepsItem


T = TypeVar("T", bound="SchemaOp")


@_attrs_define
class SchemaOp:
    """
    Attributes:
        actor (str): `user:<id>` or `operator`.
        created_at (str):
        id (UUID):
        kind (str):
        status (SchemaOpStatus):
        error (None | str | Unset):
        finished_at (None | str | Unset):
        request (SchemaOpRequest | Unset):
        steps (list[SchemaOpStepsItem] | Unset):
    """

    actor: str
    created_at: str
    id: UUID
    kind: str
    status: SchemaOpStatus
    error: None | str | Unset = UNSET
    finished_at: None | str | Unset = UNSET
    request: SchemaOpRequest | Unset = UNSET
    steps: list[SchemaOpStepsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        created_at = self.created_at

        id = str(self.id)

        kind = self.kind

        status = self.status.value

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        else:
            finished_at = self.finished_at

        request: dict[str, Any] | Unset = UNSET
        if not isinstance(self.request, Unset):
            request = self.request.to_dict()

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "created_at": created_at,
                "id": id,
                "kind": kind,
                "status": status,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at
        if request is not UNSET:
            field_dict["request"] = request
        if steps is not UNSET:
            field_dict["steps"] = steps

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.schema_op_request import SchemaOpRequest
        from ..models.schema_op_steps_item import SchemaOpStepsItem

        d = dict(src_dict)
        actor = d.pop("actor")

        created_at = d.pop("created_at")

        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        status = SchemaOpStatus(d.pop("status"))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_finished_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        _request = d.pop("request", UNSET)
        request: SchemaOpRequest | Unset
        if isinstance(_request, Unset):
            request = UNSET
        else:
            request = SchemaOpRequest.from_dict(_request)

        _steps = d.pop("steps", UNSET)
        steps: list[SchemaOpStepsItem] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = SchemaOpStepsItem.from_dict(steps_item_data)

                steps.append(steps_item)

        schema_op = cls(
            actor=actor,
            created_at=created_at,
            id=id,
            kind=kind,
            status=status,
            error=error,
            finished_at=finished_at,
            request=request,
            steps=steps,
        )

        schema_op.additional_properties = d
        return schema_op

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
