from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="QuotaRequest")


@_attrs_define
class QuotaRequest:
    """A base's monthly request quota.

    Attributes:
        monthly_request_quota (int | None | Unset): Requests per calendar month (UTC); `null` falls back to the plan's
            quota.
    """

    monthly_request_quota: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        monthly_request_quota: int | None | Unset
        if isinstance(self.monthly_request_quota, Unset):
            monthly_request_quota = UNSET
        else:
            monthly_request_quota = self.monthly_request_quota

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if monthly_request_quota is not UNSET:
            field_dict["monthly_request_quota"] = monthly_request_quota

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_monthly_request_quota(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        monthly_request_quota = _parse_monthly_request_quota(
            d.pop("monthly_request_quota", UNSET)
        )

        quota_request = cls(
            monthly_request_quota=monthly_request_quota,
        )

        return quota_request
