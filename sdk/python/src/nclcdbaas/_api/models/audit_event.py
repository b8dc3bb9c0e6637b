from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuditEvent")


@_attrs_define
class AuditEvent:
    """One event of the audit log.

    Attributes:
        action (str): What happened: `record.update`, `schema.add_field`, `token.create`, `view.publish`,
            `member.set`, `auth.login`, `webhook.disabled`…
        actor (str): `user:<id>`, `token:<id>`, `system` or `operator`.
        after (Any): The resource after, or what the action was given (never a secret).
        at (str):
        base_id (None | UUID):
        before (Any): The resource before, where the action changed one (a record's values).
        id (int):
        request_id (None | str):
        resource_id (None | str): What it happened to: a token's or view's id, `<table>/<record>` for a record,
            `<workspace>/<user>` for a member.
    """

    action: str
    actor: str
    after: Any
    at: str
    base_id: None | UUID
    before: Any
    id: int
    request_id: None | str
    resource_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        after = self.after

        at = self.at

        base_id: None | str
        if isinstance(self.base_id, UUID):
            base_id = str(self.base_id)
        else:
            base_id = self.base_id

        before = self.before

        id = self.id

        request_id: None | str
        request_id = self.request_id

        resource_id: None | str
        resource_id = self.resource_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "after": after,
                "at": at,
                "base_id": base_id,
                "before": before,
                "id": id,
                "request_id": request_id,
                "resource_id": resource_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        after = d.pop("after")

        at = d.pop("at")

        def _parse_base_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                base_id_type_0 = UUID(data)

                return base_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        base_id = _parse_base_id(d.pop("base_id"))

        before = d.pop("before")

        id = d.pop("id")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_resource_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resource_id = _parse_resource_id(d.pop("resource_id"))

        audit_event = cls(
            action=action,
            actor=actor,
            after=after,
            at=at,
            base_id=base_id,
            before=before,
            id=id,
            request_id=request_id,
            resource_id=resource_id,
        )

        audit_event.additional_properties = d
        return audit_event

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
