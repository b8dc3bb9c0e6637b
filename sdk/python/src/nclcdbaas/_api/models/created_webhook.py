from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type import EventType

T = TypeVar("T", bound="CreatedWebhook")


@_attrs_define
class CreatedWebhook:
    """A new endpoint (or one with a new secret), with its secret.

    Attributes:
        base_id (UUID):
        created_at (str):
        disabled_reason (None | str):
        enabled (bool): Whether it delivers; an endpoint that kept failing is disabled, with the reason.
        events (list[EventType]):
        failing_since (None | str): Since when every attempt has failed; null after a success.
        filter_ (Any):
        id (UUID):
        name (str):
        pending (int): Deliveries waiting to be sent.
        secret (str): `whsec_<base64 key>`: shown in this answer only. Verify `webhook-signature` with it
            (any Standard Webhooks library), or `X-Signature` (HMAC-SHA256 of the body with the
            decoded key).
        tables (list[str]): The ids of the tables it follows; empty: every table.
        url (str):
    """

    base_id: UUID
    created_at: str
    disabled_reason: None | str
    enabled: bool
    events: list[EventType]
    failing_since: None | str
    filter_: Any
    id: UUID
    name: str
    pending: int
    secret: str
    tables: list[str]
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        base_id = str(self.base_id)

        created_at = self.created_at

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        enabled = self.enabled

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.value
            events.append(events_item)

        failing_since: None | str
        failing_since = self.failing_since

        filter_ = self.filter_

        id = str(self.id)

        name = self.name

        pending = self.pending

        secret = self.secret

        tables = self.tables

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "base_id": base_id,
                "created_at": created_at,
                "disabled_reason": disabled_reason,
                "enabled": enabled,
                "events": events,
                "failing_since": failing_since,
                "filter": filter_,
                "id": id,
                "name": name,
                "pending": pending,
                "secret": secret,
                "tables": tables,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        base_id = UUID(d.pop("base_id"))

        created_at = d.pop("created_at")

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))

        enabled = d.pop("enabled")

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = EventType(events_item_data)

            events.append(events_item)

        def _parse_failing_since(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failing_since = _parse_failing_since(d.pop("failing_since"))

        filter_ = d.pop("filter")

        id = UUID(d.pop("id"))

        name = d.pop("name")

        pending = d.pop("pending")

        secret = d.pop("secret")

        tables = cast(list[str], d.pop("tables"))

        url = d.pop("url")

        created_webhook = cls(
            base_id=base_id,
            created_at=created_at,
            disabled_reason=disabled_reason,
            enabled=enabled,
            events=events,
            failing_since=failing_since,
            filter_=filter_,
            id=id,
            name=name,
            pending=pending,
            secret=secret,
            tables=tables,
            url=url,
        )

        created_webhook.additional_properties = d
        return created_webhook

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
