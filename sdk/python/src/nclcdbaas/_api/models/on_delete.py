from enum import StrEnum


class OnDelete(StrEnum):
    CASCADE = "cascade"
    RESTRICT = "restrict"
    SET_NULL = "set_null"

    def __str__(self) -> str:
        return str(self.value)
