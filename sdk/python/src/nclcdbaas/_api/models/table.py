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


T = TypeVar("T", bound="Table")


@_attrs_define
class Table:
    """A table: its fields and what every table has.

    Attributes:
        fields (list[FieldInfo]): In display order.
        former_names (list[str]): Names the table had before a rename, which still work in paths during the grace
            period.
        id (UUID):
        linked_from (list[Backlink]): The links of other tables (or of this one) that point here.
        name (str):
        primary_key (Literal['id']):
        system_fields (list[TableSystemFieldsItem]): The columns every table has, besides its fields.
        uniques (list[str]): The unique fields' names.
    """

    fields: list[FieldInfo]
    former_names: list[str]
    id: UUID
    linked_from: list[Backlink]
    name: str
    primary_key: Literal["id"]
    system_fields: list[TableSystemFieldsItem]
    uniques: list[str]

    def to_dict(self) -> dict[str, Any]:
        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        former_names = self.former_names

        id = str(self.id)

        linked_from = []
        for linked_from_item_data in self.linked_from:
            linked_from_item = linked_from_item_data.to_dict()
            linked_from.append(linked_from_item)

        name = self.name

        primary_key = self.primary_key

        system_fields = []
        for system_fields_item_data in self.system_fields:
            system_fields_item = system_fields_item_data.value
            system_fields.append(system_fields_item)

        uniques = self.uniques

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
                "former_names": former_names,
                "id": id,
                "linked_from": linked_from,
                "name": name,
                "primary_key": primary_key,
                "system_fields": system_fields,
                "uniques": uniques,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.backlink import Backlink
        from ..models.field_info import FieldInfo

        d = dict(src_dict)
        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FieldInfo.from_dict(fields_item_data)

            fields.append(fields_item)

        former_names = cast(list[str], d.pop("former_names"))

        id = UUID(d.pop("id"))

        linked_from = []
        _linked_from = d.pop("linked_from")
        for linked_from_item_data in _linked_from:
            linked_from_item = Backlink.from_dict(linked_from_item_data)

            linked_from.append(linked_from_item)

        name = d.pop("name")

        primary_key = cast(Literal["id"], d.pop("primary_key"))
        if primary_key != "id":
            raise ValueError(f"primary_key must match const 'id', got '{primary_key}'")

        system_fields = []
        _system_fields = d.pop("system_fields")
        for system_fields_item_data in _system_fields:
            system_fields_item = TableSystemFieldsItem(system_fields_item_data)

            system_fields.append(system_fields_item)

        uniques = cast(list[str], d.pop("uniques"))

        table = cls(
            fields=fields,
            former_names=former_names,
            id=id,
            linked_from=linked_from,
            name=name,
            primary_key=primary_key,
            system_fields=system_fields,
            uniques=uniques,
        )

        return table
