from enum import StrEnum


class ComputedInfoKind(StrEnum):
    FORMULA = "formula"
    LOOKUP = "lookup"
    ROLLUP = "rollup"

    def __str__(self) -> str:
        return str(self.value)
