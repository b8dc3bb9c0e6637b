from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.import_request_mapping_type_0 import ImportRequestMappingType0


T = TypeVar("T", bound="ImportRequest")


@_attrs_define
class ImportRequest:
    """`POST /v1/tables/{tableId}/import:csv`.

    Attributes:
        csv (None | str | Unset): The CSV itself, up to 1 MiB; or give `file`.
        delimiter (None | str | Unset): One ASCII character; `,` by default.
        dry_run (bool | Unset): Check every row and report, writing nothing. Default: False.
        encoding (None | str | Unset): `utf-8` (the default; a byte-order mark is skipped), `utf-16` (by its byte-order
            mark), `windows-1252` or `iso-8859-1`.
        file (None | Unset | UUID): An uploaded file (`files:signUpload`) holding the CSV; or give `csv`.
        mapping (ImportRequestMappingType0 | None | Unset): CSV header → field name. Without it, each column goes to the
            field its header
            names (a column `id` to the record's id); columns that name no writable field are
            ignored and listed in the result.
        unique (None | str | Unset): Update the record whose value of this unique field matches a row's, insert the
            others. Without it, rows with an `id` column update that record, others insert.
    """

    csv: None | str | Unset = UNSET
    delimiter: None | str | Unset = UNSET
    dry_run: bool | Unset = False
    encoding: None | str | Unset = UNSET
    file: None | Unset | UUID = UNSET
    mapping: ImportRequestMappingType0 | None | Unset = UNSET
    unique: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.import_request_mapping_type_0 import ImportRequestMappingType0

        csv: None | str | Unset
        if isinstance(self.csv, Unset):
            csv = UNSET
        else:
            csv = self.csv

        delimiter: None | str | Unset
        if isinstance(self.delimiter, Unset):
            delimiter = UNSET
        else:
            delimiter = self.delimiter

        dry_run = self.dry_run

        encoding: None | str | Unset
        if isinstance(self.encoding, Unset):
            encoding = UNSET
        else:
            encoding = self.encoding

        file: None | str | Unset
        if isinstance(self.file, Unset):
            file = UNSET
        elif isinstance(self.file, UUID):
            file = str(self.file)
        else:
            file = self.file

        mapping: dict[str, Any] | None | Unset
        if isinstance(self.mapping, Unset):
            mapping = UNSET
        elif isinstance(self.mapping, ImportRequestMappingType0):
            mapping = self.mapping.to_dict()
        else:
            mapping = self.mapping

        unique: None | str | Unset
        if isinstance(self.unique, Unset):
            unique = UNSET
        else:
            unique = self.unique

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if csv is not UNSET:
            field_dict["csv"] = csv
        if delimiter is not UNSET:
            field_dict["delimiter"] = delimiter
        if dry_run is not UNSET:
            field_dict["dry_run"] = dry_run
        if encoding is not UNSET:
            field_dict["encoding"] = encoding
        if file is not UNSET:
            field_dict["file"] = file
        if mapping is not UNSET:
            field_dict["mapping"] = mapping
        if unique is not UNSET:
            field_dict["unique"] = unique

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.import_request_mapping_type_0 import ImportRequestMappingType0

        d = dict(src_dict)

        def _parse_csv(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        csv = _parse_csv(d.pop("csv", UNSET))

        def _parse_delimiter(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delimiter = _parse_delimiter(d.pop("delimiter", UNSET))

        dry_run = d.pop("dry_run", UNSET)

        def _parse_encoding(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        encoding = _parse_encoding(d.pop("encoding", UNSET))

        def _parse_file(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                file_type_0 = UUID(data)

                return file_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        file = _parse_file(d.pop("file", UNSET))

        def _parse_mapping(data: object) -> ImportRequestMappingType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                mapping_type_0 = ImportRequestMappingType0.from_dict(data)

                return mapping_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImportRequestMappingType0 | None | Unset, data)

        mapping = _parse_mapping(d.pop("mapping", UNSET))

        def _parse_unique(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unique = _parse_unique(d.pop("unique", UNSET))

        import_request = cls(
            csv=csv,
            delimiter=delimiter,
            dry_run=dry_run,
            encoding=encoding,
            file=file,
            mapping=mapping,
            unique=unique,
        )

        return import_request
