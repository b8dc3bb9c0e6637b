from enum import StrEnum


class DroppedKind(StrEnum):
    FIELD = "field"
    TABLE = "table"

    def __str__(self) -> str:
        return str(self.value)
