from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UsageDay")


@_attrs_define
class UsageDay:
    """The requests of one principal on one day (UTC).

    Attributes:
        api_calls (int):
        day (datetime.date):
        principal (str): `token:<id>`, `user:<id>` or `public` (anonymous requests, e.g. to public views).
    """

    api_calls: int
    day: datetime.date
    principal: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_calls = self.api_calls

        day = self.day.isoformat()

        principal = self.principal

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "api_calls": api_calls,
                "day": day,
                "principal": principal,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        api_calls = d.pop("api_calls")

        day = datetime.date.fromisoformat(d.pop("day"))

        principal = d.pop("principal")

        usage_day = cls(
            api_calls=api_calls,
            day=day,
            principal=principal,
        )

        usage_day.additional_properties = d
        return usage_day

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
