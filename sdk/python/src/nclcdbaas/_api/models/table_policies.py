from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.new_policy import NewPolicy


T = TypeVar("T", bound="TablePolicies")


@_attrs_define
class TablePolicies:
    """A table's policies, replacing the current ones (`PUT …/tables/{table}/policies`).

    Attributes:
        policies (list[NewPolicy]):
    """

    policies: list[NewPolicy]

    def to_dict(self) -> dict[str, Any]:
        policies = []
        for policies_item_data in self.policies:
            policies_item = policies_item_data.to_dict()
            policies.append(policies_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "policies": policies,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.new_policy import NewPolicy

        d = dict(src_dict)
        policies = []
        _policies = d.pop("policies")
        for policies_item_data in _policies:
            policies_item = NewPolicy.from_dict(policies_item_data)

            policies.append(policies_item)

        table_policies = cls(
            policies=policies,
        )

        return table_policies
