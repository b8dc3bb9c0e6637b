from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ViewCache")


@_attrs_define
class ViewCache:
    """How the edge caches its public answers, in seconds; a member left out has its
    default (a view never published has only `max_age`).

        Attributes:
            max_age (int | Unset): How long an answer is fresh. Default: 60.
            stale_if_error (int | Unset): How long after that a stale answer is served when the origin fails. Default: 0.
            stale_while_revalidate (int | Unset): How long after that a stale answer is served while the edge fetches a new
                one. Default: 0.
    """

    max_age: int | Unset = 60
    stale_if_error: int | Unset = 0
    stale_while_revalidate: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        max_age = self.max_age

        stale_if_error = self.stale_if_error

        stale_while_revalidate = self.stale_while_revalidate

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_age is not UNSET:
            field_dict["max_age"] = max_age
        if stale_if_error is not UNSET:
            field_dict["stale_if_error"] = stale_if_error
        if stale_while_revalidate is not UNSET:
            field_dict["stale_while_revalidate"] = stale_while_revalidate

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        max_age = d.pop("max_age", UNSET)

        stale_if_error = d.pop("stale_if_error", UNSET)

        stale_while_revalidate = d.pop("stale_while_revalidate", UNSET)

        view_cache = cls(
            max_age=max_age,
            stale_if_error=stale_if_error,
            stale_while_revalidate=stale_while_revalidate,
        )

        return view_cache
