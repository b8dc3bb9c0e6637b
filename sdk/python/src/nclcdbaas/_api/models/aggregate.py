from enum import StrEnum


class Aggregate(StrEnum):
    ALL = "all"
    ANY = "any"
    AVERAGE = "average"
    COUNT = "count"
    MAX = "max"
    MIN = "min"
    SUM = "sum"

    def __str__(self) -> str:
        return str(self.value)
