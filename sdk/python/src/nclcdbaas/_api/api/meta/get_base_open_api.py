from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.open_api_document import OpenApiDocument
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    x_base_id: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_base_id, Unset):
        headers["X-Base-Id"] = x_base_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/meta/openapi.json",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | OpenApiDocument:
    if response.status_code == 200:
        response_200 = OpenApiDocument.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 414:
        response_414 = Error.from_dict(response.json())

        return response_414

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
) -> Response[Error | OpenApiDocument]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    x_base_id: UUID | Unset = UNSET,
) -> Response[Error | OpenApiDocument]:
    """This document for the token's base, typed per table

     This document plus, for each table of the token's base, typed schemas (`<table>_Values`,
    `<table>_Record`, …) and concrete paths `/v1/tables/<table>/…` that use them, for generating typed
    clients.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        x_base_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OpenApiDocument]
    """

    kwargs = _get_kwargs(
        x_base_id=x_base_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    x_base_id: UUID | Unset = UNSET,
) -> Error | OpenApiDocument | None:
    """This document for the token's base, typed per table

     This document plus, for each table of the token's base, typed schemas (`<table>_Values`,
    `<table>_Record`, …) and concrete paths `/v1/tables/<table>/…` that use them, for generating typed
    clients.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        x_base_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OpenApiDocument
    """

    return sync_detailed(
        client=client,
        x_base_id=x_base_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    x_base_id: UUID | Unset = UNSET,
) -> Response[Error | OpenApiDocument]:
    """This document for the token's base, typed per table

     This document plus, for each table of the token's base, typed schemas (`<table>_Values`,
    `<table>_Record`, …) and concrete paths `/v1/tables/<table>/…` that use them, for generating typed
    clients.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        x_base_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OpenApiDocument]
    """

    kwargs = _get_kwargs(
        x_base_id=x_base_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    x_base_id: UUID | Unset = UNSET,
) -> Error | OpenApiDocument | None:
    """This document for the token's base, typed per table

     This document plus, for each table of the token's base, typed schemas (`<table>_Values`,
    `<table>_Record`, …) and concrete paths `/v1/tables/<table>/…` that use them, for generating typed
    clients.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        x_base_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OpenApiDocument
    """

    return (
        await asyncio_detailed(
            client=client,
            x_base_id=x_base_id,
        )
    ).parsed
