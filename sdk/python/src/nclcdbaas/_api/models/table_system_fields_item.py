from enum import StrEnum


class TableSystemFieldsItem(StrEnum):
    CREATED_AT = "created_at"
    ID = "id"
    UPDATED_AT = "updated_at"

    def __str__(self) -> str:
        return str(self.value)
