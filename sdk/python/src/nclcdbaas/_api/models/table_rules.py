from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.new_record_rule import NewRecordRule
    from ..models.new_unique import NewUnique


T = TypeVar("T", bound="TableRules")


@_attrs_define
class TableRules:
    """A table's record rules and compound unique constraints, replacing the current ones
    (`PUT …/tables/{table}/rules`).

        Attributes:
            check_existing (bool | None | Unset): `false` applies new rules to new writes only, leaving existing records
                that break
                them as they are. By default a rule that existing records break is refused,
                naming how many. (Unique constraints always hold for every record.)
            rules (list[NewRecordRule] | Unset):
            unique (list[NewUnique] | Unset):
    """

    check_existing: bool | None | Unset = UNSET
    rules: list[NewRecordRule] | Unset = UNSET
    unique: list[NewUnique] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        check_existing: bool | None | Unset
        if isinstance(self.check_existing, Unset):
            check_existing = UNSET
        else:
            check_existing = self.check_existing

        rules: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rules, Unset):
            rules = []
            for rules_item_data in self.rules:
                rules_item = rules_item_data.to_dict()
                rules.append(rules_item)

        unique: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.unique, Unset):
            unique = []
            for unique_item_data in self.unique:
                unique_item = unique_item_data.to_dict()
                unique.append(unique_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if check_existing is not UNSET:
            field_dict["check_existing"] = check_existing
        if rules is not UNSET:
            field_dict["rules"] = rules
        if unique is not UNSET:
            field_dict["unique"] = unique

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.new_record_rule import NewRecordRule
        from ..models.new_unique import NewUnique

        d = dict(src_dict)

        def _parse_check_existing(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        check_existing = _parse_check_existing(d.pop("check_existing", UNSET))

        _rules = d.pop("rules", UNSET)
        rules: list[NewRecordRule] | Unset = UNSET
        if _rules is not UNSET:
            rules = []
            for rules_item_data in _rules:
                rules_item = NewRecordRule.from_dict(rules_item_data)

                rules.append(rules_item)

        _unique = d.pop("unique", UNSET)
        unique: list[NewUnique] | Unset = UNSET
        if _unique is not UNSET:
            unique = []
            for unique_item_data in _unique:
                unique_item = NewUnique.from_dict(unique_item_data)

                unique.append(unique_item)

        table_rules = cls(
            check_existing=check_existing,
            rules=rules,
            unique=unique,
        )

        return table_rules
