from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define

from ..models.table_system_fields_item import TableSystemFieldsItem

if TYPE_CHECKING:
    from ..models.backlink import Backlink
    from ..models.field_info import FieldInfo
    from ..models.index_info import IndexInfo
    from ..models.policy_info import PolicyInfo
    from ..models.rule_info import RuleInfo
    from ..models.unique_info import UniqueInfo


T = TypeVar("T", bound="Table")


@_attrs_define
class Table:
    """A table: its fields and what every table has.

    Attributes:
        fields (list[FieldInfo]): In display order.
        former_names (list[str]): Names the table had before a rename, which still work in paths during the grace
            period.
        id (UUID):
        indexes (list[IndexInfo]): The indexes an admin added for the table's sorts and filters.
        linked_from (list[Backlink]): The links of other tables (or of this one) that point here.
        name (str):
        policies (list[PolicyInfo]): What viewers, editors and API tokens may see and change.
        primary_key (Literal['id']):
        rules (list[RuleInfo]): Conditions every record satisfies (`PUT …/tables/{table}/rules`).
        system_fields (list[TableSystemFieldsItem]): The columns every table has, besides its fields.
        unique_together (list[UniqueInfo]): Field combinations no two records share.
        uniques (list[str]): The unique fields' names.
    """

    fields: list[FieldInfo]
    former_names: list[str]
    id: UUID
    indexes: list[IndexInfo]
    linked_from: list[Backlink]
    name: str
    policies: list[PolicyInfo]
    primary_key: Literal["id"]
    rules: list[RuleInfo]
    system_fields: list[TableSystemFieldsItem]
    unique_together: list[UniqueInfo]
    uniques: list[str]

    def to_dict(self) -> dict[str, Any]:
        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        former_names = self.former_names

        id = str(self.id)

        indexes = []
        for indexes_item_data in self.indexes:
            indexes_item = indexes_item_data.to_dict()
            indexes.append(indexes_item)

        linked_from = []
        for linked_from_item_data in self.linked_from:
            linked_from_item = linked_from_item_data.to_dict()
            linked_from.append(linked_from_item)

        name = self.name

        policies = []
        for policies_item_data in self.policies:
            policies_item = policies_item_data.to_dict()
            policies.append(policies_item)

        primary_key = self.primary_key

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        system_fields = []
        for system_fields_item_data in self.system_fields:
            system_fields_item = system_fields_item_data.value
            system_fields.append(system_fields_item)

        unique_together = []
        for unique_together_item_data in self.unique_together:
            unique_together_item = unique_together_item_data.to_dict()
            unique_together.append(unique_together_item)

        uniques = self.uniques

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
                "former_names": former_names,
                "id": id,
                "indexes": indexes,
                "linked_from": linked_from,
                "name": name,
                "policies": policies,
                "primary_key": primary_key,
                "rules": rules,
                "system_fields": system_fields,
                "unique_together": unique_together,
                "uniques": uniques,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.backlink import Backlink
        from ..models.field_info import FieldInfo
        from ..models.index_info import IndexInfo
        from ..models.policy_info import PolicyInfo
        from ..models.rule_info import RuleInfo
        from ..models.unique_info import UniqueInfo

        d = dict(src_dict)
        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FieldInfo.from_dict(fields_item_data)

            fields.append(fields_item)

        former_names = cast(list[str], d.pop("former_names"))

        id = UUID(d.pop("id"))

        indexes = []
        _indexes = d.pop("indexes")
        for indexes_item_data in _indexes:
            indexes_item = IndexInfo.from_dict(indexes_item_data)

            indexes.append(indexes_item)

        linked_from = []
        _linked_from = d.pop("linked_from")
        for linked_from_item_data in _linked_from:
            linked_from_item = Backlink.from_dict(linked_from_item_data)

            linked_from.append(linked_from_item)

        name = d.pop("name")

        policies = []
        _policies = d.pop("policies")
        for policies_item_data in _policies:
            policies_item = PolicyInfo.from_dict(policies_item_data)

            policies.append(policies_item)

        primary_key = cast(Literal["id"], d.pop("primary_key"))
        if primary_key != "id":
            raise ValueError(f"primary_key must match const 'id', got '{primary_key}'")

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = RuleInfo.from_dict(rules_item_data)

            rules.append(rules_item)

        system_fields = []
        _system_fields = d.pop("system_fields")
        for system_fields_item_data in _system_fields:
            system_fields_item = TableSystemFieldsItem(system_fields_item_data)

            system_fields.append(system_fields_item)

        unique_together = []
        _unique_together = d.pop("unique_together")
        for unique_together_item_data in _unique_together:
            unique_together_item = UniqueInfo.from_dict(unique_together_item_data)

            unique_together.append(unique_together_item)

        uniques = cast(list[str], d.pop("uniques"))

        table = cls(
            fields=fields,
            former_names=former_names,
            id=id,
            indexes=indexes,
            linked_from=linked_from,
            name=name,
            policies=policies,
            primary_key=primary_key,
            rules=rules,
            system_fields=system_fields,
            unique_together=unique_together,
            uniques=uniques,
        )

        return table
