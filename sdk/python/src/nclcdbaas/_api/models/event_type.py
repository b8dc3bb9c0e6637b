from enum import StrEnum


class EventType(StrEnum):
    RECORD_CREATED = "record.created"
    RECORD_DELETED = "record.deleted"
    RECORD_UPDATED = "record.updated"

    def __str__(self) -> str:
        return str(self.value)
