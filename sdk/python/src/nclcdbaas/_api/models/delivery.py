from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.delivery_state import DeliveryState
from ..models.event_type import EventType

if TYPE_CHECKING:
    from ..models.attempt import Attempt


T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """A delivery of one change to one endpoint, with its attempts.

    Attributes:
        attempts (list[Attempt]): Newest first.
        created_at (str):
        event (EventType):
        finished_at (None | str):
        id (int):
        message_id (str): The `webhook-id` header: the same for every attempt.
        next_attempt_at (None | str):
        payload (Any): The body sent.
        record_id (UUID):
        state (DeliveryState):
    """

    attempts: list[Attempt]
    created_at: str
    event: EventType
    finished_at: None | str
    id: int
    message_id: str
    next_attempt_at: None | str
    payload: Any
    record_id: UUID
    state: DeliveryState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = []
        for attempts_item_data in self.attempts:
            attempts_item = attempts_item_data.to_dict()
            attempts.append(attempts_item)

        created_at = self.created_at

        event = self.event.value

        finished_at: None | str
        finished_at = self.finished_at

        id = self.id

        message_id = self.message_id

        next_attempt_at: None | str
        next_attempt_at = self.next_attempt_at

        payload = self.payload

        record_id = str(self.record_id)

        state = self.state.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "created_at": created_at,
                "event": event,
                "finished_at": finished_at,
                "id": id,
                "message_id": message_id,
                "next_attempt_at": next_attempt_at,
                "payload": payload,
                "record_id": record_id,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attempt import Attempt

        d = dict(src_dict)
        attempts = []
        _attempts = d.pop("attempts")
        for attempts_item_data in _attempts:
            attempts_item = Attempt.from_dict(attempts_item_data)

            attempts.append(attempts_item)

        created_at = d.pop("created_at")

        event = EventType(d.pop("event"))

        def _parse_finished_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        id = d.pop("id")

        message_id = d.pop("message_id")

        def _parse_next_attempt_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at"))

        payload = d.pop("payload")

        record_id = UUID(d.pop("record_id"))

        state = DeliveryState(d.pop("state"))

        delivery = cls(
            attempts=attempts,
            created_at=created_at,
            event=event,
            finished_at=finished_at,
            id=id,
            message_id=message_id,
            next_attempt_at=next_attempt_at,
            payload=payload,
            record_id=record_id,
            state=state,
        )

        delivery.additional_properties = d
        return delivery

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
