from enum import StrEnum


class Operator(StrEnum):
    BETWEEN = "between"
    CONTAINS = "contains"
    EQ = "eq"
    GT = "gt"
    GTE = "gte"
    IN = "in"
    IS_NULL = "is_null"
    LT = "lt"
    LTE = "lte"
    NE = "ne"
    STARTS_WITH = "starts_with"

    def __str__(self) -> str:
        return str(self.value)
