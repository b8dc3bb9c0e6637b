from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.record import Record
from ...types import UNSET, Response, Unset


def _get_kwargs(
    table_id: str,
    id: UUID,
    *,
    fields: list[str] | Unset = UNSET,
    include: list[str] | Unset = UNSET,
    x_base_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_base_id, Unset):
        headers["X-Base-Id"] = x_base_id

    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    json_fields: list[str] | Unset = UNSET
    if not isinstance(fields, Unset):
        json_fields = fields

    params["fields"] = json_fields

    json_include: list[str] | Unset = UNSET
    if not isinstance(include, Unset):
        json_include = include

    params["include"] = json_include

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tables/{table_id}/records/{id}".format(
            table_id=quote(str(table_id), safe=""),
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | Record:
    if response.status_code == 200:
        response_200 = Record.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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
) -> Response[Any | Error | Record]:
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
    fields: list[str] | Unset = UNSET,
    include: list[str] | Unset = UNSET,
    x_base_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Error | Record]:
    """Get a record

     One record, with its version as `ETag`. With `If-None-Match` naming the current ETag (or `*`), the
    answer is 304 without a body, unless `include` embeds other records (the ETag is the record's own
    version, not theirs).

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        id (UUID):
        fields (list[str] | Unset):
        include (list[str] | Unset):
        x_base_id (UUID | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | Record]
    """

    kwargs = _get_kwargs(
        table_id=table_id,
        id=id,
        fields=fields,
        include=include,
        x_base_id=x_base_id,
        if_none_match=if_none_match,
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
    fields: list[str] | Unset = UNSET,
    include: list[str] | Unset = UNSET,
    x_base_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Error | Record | None:
    """Get a record

     One record, with its version as `ETag`. With `If-None-Match` naming the current ETag (or `*`), the
    answer is 304 without a body, unless `include` embeds other records (the ETag is the record's own
    version, not theirs).

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        id (UUID):
        fields (list[str] | Unset):
        include (list[str] | Unset):
        x_base_id (UUID | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | Record
    """

    return sync_detailed(
        table_id=table_id,
        id=id,
        client=client,
        fields=fields,
        include=include,
        x_base_id=x_base_id,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    table_id: str,
    id: UUID,
    *,
    client: AuthenticatedClient,
    fields: list[str] | Unset = UNSET,
    include: list[str] | Unset = UNSET,
    x_base_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Error | Record]:
    """Get a record

     One record, with its version as `ETag`. With `If-None-Match` naming the current ETag (or `*`), the
    answer is 304 without a body, unless `include` embeds other records (the ETag is the record's own
    version, not theirs).

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        id (UUID):
        fields (list[str] | Unset):
        include (list[str] | Unset):
        x_base_id (UUID | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | Record]
    """

    kwargs = _get_kwargs(
        table_id=table_id,
        id=id,
        fields=fields,
        include=include,
        x_base_id=x_base_id,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    table_id: str,
    id: UUID,
    *,
    client: AuthenticatedClient,
    fields: list[str] | Unset = UNSET,
    include: list[str] | Unset = UNSET,
    x_base_id: UUID | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Error | Record | None:
    """Get a record

     One record, with its version as `ETag`. With `If-None-Match` naming the current ETag (or `*`), the
    answer is 304 without a body, unless `include` embeds other records (the ETag is the record's own
    version, not theirs).

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        table_id (str):
        id (UUID):
        fields (list[str] | Unset):
        include (list[str] | Unset):
        x_base_id (UUID | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | Record
    """

    return (
        await asyncio_detailed(
            table_id=table_id,
            id=id,
            client=client,
            fields=fields,
            include=include,
            x_base_id=x_base_id,
            if_none_match=if_none_match,
        )
    ).parsed
