from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.subject import Subject
from ..types import UNSET, Unset

T = TypeVar("T", bound="NewPolicy")


@_attrs_define
class NewPolicy:
    """A table's policy as a client writes it: fields by name, `rows` in the `where` form
    where a value may be a caller variable (`{"var": "user.email"}`).

        Attributes:
            subject (Subject):
            read (list[str] | None | Unset): The fields the subject may read (every field when absent).
            rows (Any | Unset): The records the subject may see, update and delete, and may create or leave
                behind after an update: a condition over the table's own fields.
            write (list[str] | None | Unset): The fields the subject may write (every field when absent).
    """

    subject: Subject
    read: list[str] | None | Unset = UNSET
    rows: Any | Unset = UNSET
    write: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject.value

        read: list[str] | None | Unset
        if isinstance(self.read, Unset):
            read = UNSET
        elif isinstance(self.read, list):
            read = self.read

        else:
            read = self.read

        rows = self.rows

        write: list[str] | None | Unset
        if isinstance(self.write, Unset):
            write = UNSET
        elif isinstance(self.write, list):
            write = self.write

        else:
            write = self.write

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subject": subject,
            }
        )
        if read is not UNSET:
            field_dict["read"] = read
        if rows is not UNSET:
            field_dict["rows"] = rows
        if write is not UNSET:
            field_dict["write"] = write

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        subject = Subject(d.pop("subject"))

        def _parse_read(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                read_type_0 = cast(list[str], data)

                return read_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        read = _parse_read(d.pop("read", UNSET))

        rows = d.pop("rows", UNSET)

        def _parse_write(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                write_type_0 = cast(list[str], data)

                return write_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        write = _parse_write(d.pop("write", UNSET))

        new_policy = cls(
            subject=subject,
            read=read,
            rows=rows,
            write=write,
        )

        return new_policy
