from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.subject import Subject
from ..types import UNSET, Unset

T = TypeVar("T", bound="PolicyInfo")


@_attrs_define
class PolicyInfo:
    """A table's policy for one subject; absent lists mean every field.

    Attributes:
        subject (Subject):
        read (list[str] | None | Unset):
        rows (Any | Unset): The rows the subject sees and may write, in the `where` form; absent: every row.
        write (list[str] | None | Unset):
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

        policy_info = cls(
            subject=subject,
            read=read,
            rows=rows,
            write=write,
        )

        return policy_info
