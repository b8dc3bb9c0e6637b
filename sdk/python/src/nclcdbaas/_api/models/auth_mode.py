from enum import StrEnum


class AuthMode(StrEnum):
    BASE_TOKEN = "base_token"
    PUBLIC = "public"
    VIEW_KEY = "view_key"

    def __str__(self) -> str:
        return str(self.value)
