from enum import StrEnum


class WhenAbsent(StrEnum):
    ERROR = "error"
    NO_FILTER = "no_filter"
    NO_ROWS = "no_rows"

    def __str__(self) -> str:
        return str(self.value)
