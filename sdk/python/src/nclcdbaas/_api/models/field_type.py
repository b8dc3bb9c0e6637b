from enum import StrEnum


class FieldType(StrEnum):
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    EMAIL = "email"
    FILE = "file"
    JSON = "json"
    LINK = "link"
    LONG_TEXT = "long_text"
    MULTI_SELECT = "multi_select"
    NUMBER = "number"
    SINGLE_SELECT = "single_select"
    TEXT = "text"
    URL = "url"
    UUID = "uuid"

    def __str__(self) -> str:
        return str(self.value)
