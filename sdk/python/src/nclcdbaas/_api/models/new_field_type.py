from enum import StrEnum


class NewFieldType(StrEnum):
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    EMAIL = "email"
    FILE = "file"
    FORMULA = "formula"
    JSON = "json"
    LINK = "link"
    LONG_TEXT = "long_text"
    LOOKUP = "lookup"
    MULTI_SELECT = "multi_select"
    NUMBER = "number"
    ROLLUP = "rollup"
    SINGLE_SELECT = "single_select"
    TEXT = "text"
    URL = "url"
    UUID = "uuid"

    def __str__(self) -> str:
        return str(self.value)
