from enum import StrEnum


class Subject(StrEnum):
    EDITOR = "editor"
    TOKEN = "token"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
