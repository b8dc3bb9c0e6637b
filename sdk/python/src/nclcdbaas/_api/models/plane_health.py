from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlaneHealth")


@_attrs_define
class PlaneHealth:
    """One Postgres plane: whether it answers, and the answering origin's pool.

    Attributes:
        connections_idle (int):
        connections_max (int):
        connections_open (int):
        latency_ms (float | None): Time to answer `SELECT 1`, when it did.
        name (str): `control`, `data` or `logs`.
        state (str): `ok` or `unavailable`.
    """

    connections_idle: int
    connections_max: int
    connections_open: int
    latency_ms: float | None
    name: str
    state: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        connections_idle = self.connections_idle

        connections_max = self.connections_max

        connections_open = self.connections_open

        latency_ms: float | None
        latency_ms = self.latency_ms

        name = self.name

        state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "connections_idle": connections_idle,
                "connections_max": connections_max,
                "connections_open": connections_open,
                "latency_ms": latency_ms,
                "name": name,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        connections_idle = d.pop("connections_idle")

        connections_max = d.pop("connections_max")

        connections_open = d.pop("connections_open")

        def _parse_latency_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms"))

        name = d.pop("name")

        state = d.pop("state")

        plane_health = cls(
            connections_idle=connections_idle,
            connections_max=connections_max,
            connections_open=connections_open,
            latency_ms=latency_ms,
            name=name,
            state=state,
        )

        plane_health.additional_properties = d
        return plane_health

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
