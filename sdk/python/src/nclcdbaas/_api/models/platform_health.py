from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.plane_health import PlaneHealth


T = TypeVar("T", bound="PlatformHealth")


@_attrs_define
class PlatformHealth:
    """The platform as the origin that answers sees it.

    Attributes:
        event_streams (int): Event streams open on the answering origin.
        jobs_queued (int):
        jobs_running (int):
        oldest_delivery_seconds (float): How long the oldest pending webhook delivery has waited.
        planes (list[PlaneHealth]):
        redis (str): `ok`, `unavailable`, or `not_configured` (replay nonces kept in each origin).
        status (str): `ok`, or `degraded` when a plane or Redis does not answer.
        suspended_tenants (int):
        tenants (int):
        version (str): The origin's version.
        webhook_deliveries_pending (int):
    """

    event_streams: int
    jobs_queued: int
    jobs_running: int
    oldest_delivery_seconds: float
    planes: list[PlaneHealth]
    redis: str
    status: str
    suspended_tenants: int
    tenants: int
    version: str
    webhook_deliveries_pending: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_streams = self.event_streams

        jobs_queued = self.jobs_queued

        jobs_running = self.jobs_running

        oldest_delivery_seconds = self.oldest_delivery_seconds

        planes = []
        for planes_item_data in self.planes:
            planes_item = planes_item_data.to_dict()
            planes.append(planes_item)

        redis = self.redis

        status = self.status

        suspended_tenants = self.suspended_tenants

        tenants = self.tenants

        version = self.version

        webhook_deliveries_pending = self.webhook_deliveries_pending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_streams": event_streams,
                "jobs_queued": jobs_queued,
                "jobs_running": jobs_running,
                "oldest_delivery_seconds": oldest_delivery_seconds,
                "planes": planes,
                "redis": redis,
                "status": status,
                "suspended_tenants": suspended_tenants,
                "tenants": tenants,
                "version": version,
                "webhook_deliveries_pending": webhook_deliveries_pending,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.plane_health import PlaneHealth

        d = dict(src_dict)
        event_streams = d.pop("event_streams")

        jobs_queued = d.pop("jobs_queued")

        jobs_running = d.pop("jobs_running")

        oldest_delivery_seconds = d.pop("oldest_delivery_seconds")

        planes = []
        _planes = d.pop("planes")
        for planes_item_data in _planes:
            planes_item = PlaneHealth.from_dict(planes_item_data)

            planes.append(planes_item)

        redis = d.pop("redis")

        status = d.pop("status")

        suspended_tenants = d.pop("suspended_tenants")

        tenants = d.pop("tenants")

        version = d.pop("version")

        webhook_deliveries_pending = d.pop("webhook_deliveries_pending")

        platform_health = cls(
            event_streams=event_streams,
            jobs_queued=jobs_queued,
            jobs_running=jobs_running,
            oldest_delivery_seconds=oldest_delivery_seconds,
            planes=planes,
            redis=redis,
            status=status,
            suspended_tenants=suspended_tenants,
            tenants=tenants,
            version=version,
            webhook_deliveries_pending=webhook_deliveries_pending,
        )

        platform_health.additional_properties = d
        return platform_health

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
