from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SchemaChangeResultSchemaOp")


@_attrs_define
class SchemaChangeResultSchemaOp:
    """The operation that recorded the change (`GET /api/v1/bases/{baseId}/schema-ops`).

    Attributes:
        id (UUID):
        status (Literal['applied']):
    """

    id: UUID
    status: Literal["applied"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        status = cast(Literal["applied"], d.pop("status"))
        if status != "applied":
            raise ValueError(f"status must match const 'applied', got '{status}'")

        schema_change_result_schema_op = cls(
            id=id,
            status=status,
        )

        schema_change_result_schema_op.additional_properties = d
        return schema_change_result_schema_op

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
