from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.event_type import EventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookRequest")


@_attrs_define
class WebhookRequest:
    """A new endpoint.

    Attributes:
        name (str):
        url (str): Where deliveries are POSTed: `https://` (or `http://`), without credentials. Private,
            loopback and link-local addresses are refused unless the deployment allows them.
        events (list[EventType] | None | Unset): The events it takes (all three when absent).
        filter_ (Any | Unset): A condition on the record, in the `where` form of the records API (the record after
            the change; before it, for a deletion); only for an endpoint of one table, and on
            number, date, text, long text, single select, URL and boolean fields with `eq`,
            `ne`, `in`, `gt`, `gte`, `lt`, `lte`, `between`, `starts_with` and `is_null`.
        tables (list[str] | None | Unset): The tables it follows, by name or id (every table when absent or empty).
    """

    name: str
    url: str
    events: list[EventType] | None | Unset = UNSET
    filter_: Any | Unset = UNSET
    tables: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        url = self.url

        events: list[str] | None | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = []
            for events_type_0_item_data in self.events:
                events_type_0_item = events_type_0_item_data.value
                events.append(events_type_0_item)

        else:
            events = self.events

        filter_ = self.filter_

        tables: list[str] | None | Unset
        if isinstance(self.tables, Unset):
            tables = UNSET
        elif isinstance(self.tables, list):
            tables = self.tables

        else:
            tables = self.tables

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "url": url,
            }
        )
        if events is not UNSET:
            field_dict["events"] = events
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if tables is not UNSET:
            field_dict["tables"] = tables

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        url = d.pop("url")

        def _parse_events(data: object) -> list[EventType] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = []
                _events_type_0 = data
                for events_type_0_item_data in _events_type_0:
                    events_type_0_item = EventType(events_type_0_item_data)

                    events_type_0.append(events_type_0_item)

                return events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[EventType] | None | Unset, data)

        events = _parse_events(d.pop("events", UNSET))

        filter_ = d.pop("filter", UNSET)

        def _parse_tables(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tables_type_0 = cast(list[str], data)

                return tables_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tables = _parse_tables(d.pop("tables", UNSET))

        webhook_request = cls(
            name=name,
            url=url,
            events=events,
            filter_=filter_,
            tables=tables,
        )

        return webhook_request
