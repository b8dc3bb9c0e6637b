from enum import StrEnum


class DeleteRecordsXAllowFilteredDelete(StrEnum):
    TRUE = "true"

    def __str__(self) -> str:
        return str(self.value)
