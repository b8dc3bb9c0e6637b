from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.record import Record
from ...models.record_update import RecordUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    table_id: str,
    id: UUID,
    *,
    body: RecordUpdate,
    x_base_id: UUID | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_base_id, Unset):
        headers["X-Base-Id"] = x_base_id

    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_idempotency_key, Unset):
        headers["X-Idempotency-Key"] = x_idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/tables/{table_id}/records/{id}".format(
            table_id=quote(str(table_id), safe=""),
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Record:
    if response.status_code == 200:
        response_200 = Record.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Error.from_dict(response.json())

        return response_412

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
) -> Response[Error | Record]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    table_id: str,
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: RecordUpdate,
    x_base_id: UUID | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> Response[Error | Record]:
    """Update a record

     Changes the fields named in `values`; the others keep their values. With `If-Match`, only if the
    record still has that version. The response carries the new `ETag`.

    Needs an API token with the `write` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `write` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        id (UUID):
        x_base_id (UUID | Unset):
        if_match (str | Unset):
        x_idempotency_key (str | Unset):
        body (RecordUpdate): A change to a record.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Record]
    """

    kwargs = _get_kwargs(
        table_id=table_id,
        id=id,
        body=body,
        x_base_id=x_base_id,
        if_match=if_match,
        x_idempotency_key=x_idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    table_id: str,
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: RecordUpdate,
    x_base_id: UUID | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> Error | Record | None:
    """Update a record

     Changes the fields named in `values`; the others keep their values. With `If-Match`, only if the
    record still has that version. The response carries the new `ETag`.

    Needs an API token with the `write` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `write` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        id (UUID):
        x_base_id (UUID | Unset):
        if_match (str | Unset):
        x_idempotency_key (str | Unset):
        body (RecordUpdate): A change to a record.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Record
    """

    return sync_detailed(
        table_id=table_id,
        id=id,
        client=client,
        body=body,
        x_base_id=x_base_id,
        if_match=if_match,
        x_idempotency_key=x_idempotency_key,
    ).parsed


async def asyncio_detailed(
    table_id: str,
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: RecordUpdate,
    x_base_id: UUID | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> Response[Error | Record]:
    """Update a record

     Changes the fields named in `values`; the others keep their values. With `If-Match`, only if the
    record still has that version. The response carries the new `ETag`.

    Needs an API token with the `write` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `write` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        id (UUID):
        x_base_id (UUID | Unset):
        if_match (str | Unset):
        x_idempotency_key (str | Unset):
        body (RecordUpdate): A change to a record.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Record]
    """

    kwargs = _get_kwargs(
        table_id=table_id,
        id=id,
        body=body,
        x_base_id=x_base_id,
        if_match=if_match,
        x_idempotency_key=x_idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    table_id: str,
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: RecordUpdate,
    x_base_id: UUID | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> Error | Record | None:
    """Update a record

     Changes the fields named in `values`; the others keep their values. With `If-Match`, only if the
    record still has that version. The response carries the new `ETag`.

    Needs an API token with the `write` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `write` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        id (UUID):
        x_base_id (UUID | Unset):
        if_match (str | Unset):
        x_idempotency_key (str | Unset):
        body (RecordUpdate): A change to a record.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Record
    """

    return (
        await asyncio_detailed(
            table_id=table_id,
            id=id,
            client=client,
            body=body,
            x_base_id=x_base_id,
            if_match=if_match,
            x_idempotency_key=x_idempotency_key,
        )
    ).parsed
