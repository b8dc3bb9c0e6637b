from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.record_create import RecordCreate
from ...models.validated import Validated
from ...types import UNSET, Response, Unset


def _get_kwargs(
    table_id: str,
    *,
    body: RecordCreate,
    x_base_id: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_base_id, Unset):
        headers["X-Base-Id"] = x_base_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tables/{table_id}/records:validate".format(
            table_id=quote(str(table_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Validated:
    if response.status_code == 200:
        response_200 = Validated.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 414:
        response_414 = Error.from_dict(response.json())

        return response_414

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = Error.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = Error.from_dict(response.json())

        return response_504

    response_default = Error.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | Validated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    table_id: str,
    *,
    client: AuthenticatedClient,
    body: RecordCreate,
    x_base_id: UUID | Unset = UNSET,
) -> Response[Error | Validated]:
    """Check a record without writing it

     Answers what creating this record would answer, without writing it: 200 when every value fits its
    field and its rules and every required field is given, else the same 422 with every problem in
    `details.errors` as `{field, code, message}` (a broken rule's `code` is its name). Only what needs
    the stored records is left to the write itself: a taken unique value, a link to a missing record.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        x_base_id (UUID | Unset):
        body (RecordCreate): A new record (or, in a batch upsert, a record to insert or update).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Validated]
    """

    kwargs = _get_kwargs(
        table_id=table_id,
        body=body,
        x_base_id=x_base_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    table_id: str,
    *,
    client: AuthenticatedClient,
    body: RecordCreate,
    x_base_id: UUID | Unset = UNSET,
) -> Error | Validated | None:
    """Check a record without writing it

     Answers what creating this record would answer, without writing it: 200 when every value fits its
    field and its rules and every required field is given, else the same 422 with every problem in
    `details.errors` as `{field, code, message}` (a broken rule's `code` is its name). Only what needs
    the stored records is left to the write itself: a taken unique value, a link to a missing record.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        x_base_id (UUID | Unset):
        body (RecordCreate): A new record (or, in a batch upsert, a record to insert or update).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Validated
    """

    return sync_detailed(
        table_id=table_id,
        client=client,
        body=body,
        x_base_id=x_base_id,
    ).parsed


async def asyncio_detailed(
    table_id: str,
    *,
    client: AuthenticatedClient,
    body: RecordCreate,
    x_base_id: UUID | Unset = UNSET,
) -> Response[Error | Validated]:
    """Check a record without writing it

     Answers what creating this record would answer, without writing it: 200 when every value fits its
    field and its rules and every required field is given, else the same 422 with every problem in
    `details.errors` as `{field, code, message}` (a broken rule's `code` is its name). Only what needs
    the stored records is left to the write itself: a taken unique value, a link to a missing record.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        x_base_id (UUID | Unset):
        body (RecordCreate): A new record (or, in a batch upsert, a record to insert or update).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Validated]
    """

    kwargs = _get_kwargs(
        table_id=table_id,
        body=body,
        x_base_id=x_base_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    table_id: str,
    *,
    client: AuthenticatedClient,
    body: RecordCreate,
    x_base_id: UUID | Unset = UNSET,
) -> Error | Validated | None:
    """Check a record without writing it

     Answers what creating this record would answer, without writing it: 200 when every value fits its
    field and its rules and every required field is given, else the same 422 with every problem in
    `details.errors` as `{field, code, message}` (a broken rule's `code` is its name). Only what needs
    the stored records is left to the write itself: a taken unique value, a link to a missing record.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        x_base_id (UUID | Unset):
        body (RecordCreate): A new record (or, in a batch upsert, a record to insert or update).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Validated
    """

    return (
        await asyncio_detailed(
            table_id=table_id,
            client=client,
            body=body,
            x_base_id=x_base_id,
        )
    ).parsed
