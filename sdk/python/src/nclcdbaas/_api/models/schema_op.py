from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.schema_op_status import SchemaOpStatus

if TYPE_CHECKING:
    from ..models.schema_op_request_type_0 import SchemaOpRequestType0
    from ..models.schema_op_steps_type_0_item import SchemaOpStepsType0Item


T = TypeVar("T", bound="SchemaOp")


@_attrs_define
class SchemaOp:
    """A schema change of a base as recorded: what was asked, the DDL, and how it ended.

    Attributes:
        actor (str): `user:<id>` or `operator`.
        created_at (str):
        error (None | str): Why it failed; null otherwise.
        finished_at (None | str): When it was applied or failed; null while pending.
        id (UUID):
        kind (str): The change as requested: `create_table`, `rename_table`, `drop_table`, `add_field`,
            `update_field`, `drop_field`, `convert_field`, `set_rules`, `set_policies`, `add_index`,
            `drop_index`, `purge` or `revert`.
        request (None | SchemaOpRequestType0): The change as requested.
        revertible (bool): Whether `POST …/schema-ops/{opId}/revert` can undo it now: it was applied, is not a
            purge, and no later change of its table stands in its way (changes of two different
            fields, or a rename and another change, do not).
        status (SchemaOpStatus): Where a schema operation stands: `pending` while it runs (or, interrupted, until it is
            finished or failed within seconds), then `applied` or `failed`.
        steps (list[SchemaOpStepsType0Item] | None): The DDL it ran (or was to run), in order.
    """

    actor: str
    created_at: str
    error: None | str
    finished_at: None | str
    id: UUID
    kind: str
    request: None | SchemaOpRequestType0
    revertible: bool
    status: SchemaOpStatus
    steps: list[SchemaOpStepsType0Item] | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.schema_op_request_type_0 import SchemaOpRequestType0

        actor = self.actor

        created_at = self.created_at

        error: None | str
        error = self.error

        finished_at: None | str
        finished_at = self.finished_at

        id = str(self.id)

        kind = self.kind

        request: dict[str, Any] | None
        if isinstance(self.request, SchemaOpRequestType0):
            request = self.request.to_dict()
        else:
            request = self.request

        revertible = self.revertible

        status = self.status.value

        steps: list[dict[str, Any]] | None
        if isinstance(self.steps, list):
            steps = []
            for steps_type_0_item_data in self.steps:
                steps_type_0_item = steps_type_0_item_data.to_dict()
                steps.append(steps_type_0_item)

        else:
            steps = self.steps

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "created_at": created_at,
                "error": error,
                "finished_at": finished_at,
                "id": id,
                "kind": kind,
                "request": request,
                "revertible": revertible,
                "status": status,
                "steps": steps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.schema_op_request_type_0 import SchemaOpRequestType0
        from ..models.schema_op_steps_type_0_item import SchemaOpStepsType0Item

        d = dict(src_dict)
        actor = d.pop("actor")

        created_at = d.pop("created_at")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        def _parse_request(data: object) -> None | SchemaOpRequestType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                request_type_0 = SchemaOpRequestType0.from_dict(data)

                return request_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SchemaOpRequestType0, data)

        request = _parse_request(d.pop("request"))

        revertible = d.pop("revertible")

        status = SchemaOpStatus(d.pop("status"))

        def _parse_steps(data: object) -> list[SchemaOpStepsType0Item] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                steps_type_0 = []
                _steps_type_0 = data
                for steps_type_0_item_data in _steps_type_0:
                    steps_type_0_item = SchemaOpStepsType0Item.from_dict(
                        steps_type_0_item_data
                    )

                    steps_type_0.append(steps_type_0_item)

                return steps_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SchemaOpStepsType0Item] | None, data)

        steps = _parse_steps(d.pop("steps"))

        schema_op = cls(
            actor=actor,
            created_at=created_at,
            error=error,
            finished_at=finished_at,
            id=id,
            kind=kind,
            request=request,
            revertible=revertible,
            status=status,
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
