from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.batch_delete_request import BatchDeleteRequest
from ...models.delete_many_result import DeleteManyResult
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    table_id: str,
    *,
    body: BatchDeleteRequest,
    x_base_id: UUID | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_base_id, Unset):
        headers["X-Base-Id"] = x_base_id

    if not isinstance(x_idempotency_key, Unset):
        headers["X-Idempotency-Key"] = x_idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tables/{table_id}/records:batchDelete".format(
            table_id=quote(str(table_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeleteManyResult | Error:
    if response.status_code == 200:
        response_200 = DeleteManyResult.from_dict(response.json())

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
) -> Response[DeleteManyResult | Error]:
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
    body: BatchDeleteRequest,
    x_base_id: UUID | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> Response[DeleteManyResult | Error]:
    """Delete records by id in one batch, all or none

     Deletes every listed record, or none of them: if any id is not a record of the table, nothing is
    deleted and the 404 lists the missing ids in `details.missing`.

    Needs an API token with the `delete` scope, or a signed-in user's access token with `X-Base-Id` and
    a role that grants `delete` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        x_base_id (UUID | Unset):
        x_idempotency_key (str | Unset):
        body (BatchDeleteRequest): Records to delete in one transaction, all or none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteManyResult | Error]
    """

    kwargs = _get_kwargs(
        table_id=table_id,
        body=body,
        x_base_id=x_base_id,
        x_idempotency_key=x_idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    table_id: str,
    *,
    client: AuthenticatedClient,
    body: BatchDeleteRequest,
    x_base_id: UUID | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> DeleteManyResult | Error | None:
    """Delete records by id in one batch, all or none

     Deletes every listed record, or none of them: if any id is not a record of the table, nothing is
    deleted and the 404 lists the missing ids in `details.missing`.

    Needs an API token with the `delete` scope, or a signed-in user's access token with `X-Base-Id` and
    a role that grants `delete` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        x_base_id (UUID | Unset):
        x_idempotency_key (str | Unset):
        body (BatchDeleteRequest): Records to delete in one transaction, all or none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteManyResult | Error
    """

    return sync_detailed(
        table_id=table_id,
        client=client,
        body=body,
        x_base_id=x_base_id,
        x_idempotency_key=x_idempotency_key,
    ).parsed


async def asyncio_detailed(
    table_id: str,
    *,
    client: AuthenticatedClient,
    body: BatchDeleteRequest,
    x_base_id: UUID | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> Response[DeleteManyResult | Error]:
    """Delete records by id in one batch, all or none

     Deletes every listed record, or none of them: if any id is not a record of the table, nothing is
    deleted and the 404 lists the missing ids in `details.missing`.

    Needs an API token with the `delete` scope, or a signed-in user's access token with `X-Base-Id` and
    a role that grants `delete` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        x_base_id (UUID | Unset):
        x_idempotency_key (str | Unset):
        body (BatchDeleteRequest): Records to delete in one transaction, all or none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteManyResult | Error]
    """

    kwargs = _get_kwargs(
        table_id=table_id,
        body=body,
        x_base_id=x_base_id,
        x_idempotency_key=x_idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    table_id: str,
    *,
    client: AuthenticatedClient,
    body: BatchDeleteRequest,
    x_base_id: UUID | Unset = UNSET,
    x_idempotency_key: str | Unset = UNSET,
) -> DeleteManyResult | Error | None:
    """Delete records by id in one batch, all or none

     Deletes every listed record, or none of them: if any id is not a record of the table, nothing is
    deleted and the 404 lists the missing ids in `details.missing`.

    Needs an API token with the `delete` scope, or a signed-in user's access token with `X-Base-Id` and
    a role that grants `delete` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        x_base_id (UUID | Unset):
        x_idempotency_key (str | Unset):
        body (BatchDeleteRequest): Records to delete in one transaction, all or none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteManyResult | Error
    """

    return (
        await asyncio_detailed(
            table_id=table_id,
            client=client,
            body=body,
            x_base_id=x_base_id,
            x_idempotency_key=x_idempotency_key,
        )
    ).parsed
