from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.upload_form_fields import UploadFormFields


T = TypeVar("T", bound="UploadForm")


@_attrs_define
class UploadForm:
    """A presigned form: `POST` `fields` and then the file, as the form's last field `file`,
    to `url` (multipart/form-data).

        Attributes:
            expires_at (datetime.datetime):
            fields (UploadFormFields):
            file_id (UUID): The file's id: what an import names as its `file`.
            key (str): The object's key in the store.
            url (str):
    """

    expires_at: datetime.datetime
    fields: UploadFormFields
    file_id: UUID
    key: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at.isoformat()

        fields = self.fields.to_dict()

        file_id = str(self.file_id)

        key = self.key

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_at": expires_at,
                "fields": fields,
                "file_id": file_id,
                "key": key,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.upload_form_fields import UploadFormFields

        d = dict(src_dict)
        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        fields = UploadFormFields.from_dict(d.pop("fields"))

        file_id = UUID(d.pop("file_id"))

        key = d.pop("key")

        url = d.pop("url")

        upload_form = cls(
            expires_at=expires_at,
            fields=fields,
            file_id=file_id,
            key=key,
            url=url,
        )

        upload_form.additional_properties = d
        return upload_form

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
