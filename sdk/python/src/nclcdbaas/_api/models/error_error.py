from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_code import ErrorCode

if TYPE_CHECKING:
    from ..models.error_details import ErrorDetails


T = TypeVar("T", bound="ErrorError")


@_attrs_define
class ErrorError:
    """What went wrong.

    Attributes:
        code (ErrorCode): - `INVALID_REQUEST` (400): The request is malformed: its body, a header, or the shape of its
            JSON.
            - `INVALID_QUERY` (400): A query parameter is unknown, repeated or malformed, or names an unknown field.
            - `PAYLOAD_TOO_LARGE` (413): A page, a batch or the body is over its limit; `details` names the limit.
            - `UNSUPPORTED_MEDIA_TYPE` (415): The body is not sent with `Content-Type: application/json`.
            - `VALIDATION_ERROR` (422): A value does not fit its field; `details.errors` lists every problem found.
            - `UNSAFE_TYPE_CHANGE` (422): The type change could lose values; `message` describes the create-copy-swap path.
            - `AUTH_REQUIRED` (401): No `Authorization: Bearer <token>` header.
            - `INVALID_TOKEN` (401): The token is malformed, unknown, revoked or expired, or its base no longer exists.
            - `INSUFFICIENT_SCOPE` (403): The token lacks the scope the operation needs; `details.required` names it.
            - `BASE_MISMATCH` (403): `X-Base-Id` names another base than the token's.
            - `INVALID_CREDENTIALS` (401): Sign-in failed: wrong email or password (which one is not said).
            - `FORBIDDEN` (403): Your role in the workspace does not allow this; `details.required_role` says which does.
            - `POLICY_DENIED` (403): The table's policy for your role or token does not allow this: reading or writing a
            field it hides (`field_not_readable`, `field_not_writable`, with `details.field`), or writing a record outside
            the rows it lets you see (`row_outside_policy`).
            - `TENANT_SUSPENDED` (403): The platform's operators suspended the organization this base, workspace or view
            belongs to; `details.tenant` names it. Its owners should contact support.
            - `ROUTE_NOT_FOUND` (404): No route matches the path.
            - `METHOD_NOT_ALLOWED` (405): The path exists, but not with this method; `details.allowed` lists the methods.
            - `TABLE_NOT_FOUND` (404): No table with that id or name in the token's base.
            - `RECORD_NOT_FOUND` (404): No record with that id in the table.
            - `NOT_FOUND` (404): No such workspace, base, member or token visible to you.
            - `DUPLICATE_RECORD` (409): A record with that id already exists.
            - `EMAIL_TAKEN` (409): An account with this email exists; sign in instead.
            - `NAME_TAKEN` (409): The table or field name is taken, or is a former name still in its grace period.
            - `SCHEMA_CONFLICT` (409): The table's records or its rules and policies prevent the schema change (duplicates
            for `unique`, empty values for `required`, records breaking a new rule, a field still in use); nothing was
            changed.
            - `UNIQUE_VIOLATION` (409): A value is already taken in a unique field; `details.field` names it.
            - `RECORD_LINKED` (409): Records of another table link to this one through a link whose `on_delete` is
            `restrict`; `details.table` and `details.field` name it. Delete or relink those records first.
            - `PRECONDITION_FAILED` (412): `If-Match` names another version than the record's; `details.current_etag` has
            its ETag.
            - `IDEMPOTENCY_REPLAYED` (409): The `X-Idempotency-Key` was used for a different request in the last 24 hours. A
            faithful retry is not an error: it gets the original answer with `Idempotency-Replayed: true`.
            - `INVALID_SIGNATURE` (401): Edge-to-origin protocol; reaches clients only when a deployment is misconfigured.
            - `PLAN_EXPIRED` (401): Edge-to-origin protocol; reaches clients only when the edge's and origin's clocks
            disagree.
            - `PLAN_REPLAYED` (401): Edge-to-origin protocol; not seen by clients of a healthy deployment.
            - `CATALOG_STALE` (409): The base's schema changed again while the edge retried with the new one; retry.
            - `RATE_LIMITED` (429): Too many requests for the token (or user, or client address); wait as `Retry-After`
            says.
            - `QUOTA_EXCEEDED` (429): The base used its monthly request quota (`X-Quota-Limit`); it resets at `X-Quota-
            Reset`. Ask the workspace owner for a higher quota.
            - `PLAN_LIMIT` (403): Creating this would exceed a limit of the tenant's plan; `details.limit` names it
            (`bases_per_workspace`, `tables_per_base`, `fields_per_table`, `views_per_base`, `catalog_bytes`), with
            `details.max`, `details.current` and `details.plan`. Remove what is no longer needed or move to a larger plan;
            soft-dropped tables and fields count until they are purged.
            - `URI_TOO_LONG` (414): The URL is longer than the edge accepts (`details.max_bytes`); send filters in `where`.
            - `HEADERS_TOO_LARGE` (431): The request headers are larger than the edge accepts (`details.max_bytes`).
            - `INTERNAL` (500): An unexpected failure; quote `request_id` when reporting it.
            - `ORIGIN_UNAVAILABLE` (503): The origin could not be reached or answered out of protocol; retry after `Retry-
            After`.
            - `ORIGIN_TIMEOUT` (504): The origin did not answer in time; retry after `Retry-After`.
            - `SERVICE_UNAVAILABLE` (503): A database is unavailable, or the query took too long; retry shortly.
        details (ErrorDetails): Structured facts about the error; which keys appear depends on the code.
        message (str): For people; may change.
    """

    code: ErrorCode
    details: ErrorDetails
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        details = self.details.to_dict()

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "details": details,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.error_details import ErrorDetails

        d = dict(src_dict)
        code = ErrorCode(d.pop("code"))

        details = ErrorDetails.from_dict(d.pop("details"))

        message = d.pop("message")

        error_error = cls(
            code=code,
            details=details,
            message=message,
        )

        error_error.additional_properties = d
        return error_error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
