from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.new_index import NewIndex
from ...models.schema_change_result import SchemaChangeResult
from ...types import UNSET, Response, Unset


def _get_kwargs(
    base_id: str,
    table: str,
    *,
    body: NewIndex,
    dry_run: bool | Unset = False,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/bases/{base_id}/tables/{table}/indexes".format(
            base_id=quote(str(base_id), safe=""),
            table=quote(str(table), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | SchemaChangeResult:
    if response.status_code == 201:
        response_201 = SchemaChangeResult.from_dict(response.json())

        return response_201

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
) -> Response[Error | SchemaChangeResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    base_id: str,
    table: str,
    *,
    client: AuthenticatedClient,
    body: NewIndex,
    dry_run: bool | Unset = False,
) -> Response[Error | SchemaChangeResult]:
    """Add an index on fields the table's lists sort or filter by

     Adds an index on 1 to 8 stored fields, in order (`name` or `name:desc`), then `id`: it serves lists
    sorted by those fields, and filters on the first. Built `CONCURRENTLY`: reads and writes go on, and
    the answer comes once it is built; `GET …/indexes` shows its progress meanwhile. Changes of one base
    run one at a time, each with its DDL in one transaction; the answer names the `schema_op` recording
    it and the new catalog version, which edges pick up at once. With `dry_run=true` the answer is the
    planned DDL instead (`dry_run`, `steps` and `change`).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        table (str):
        dry_run (bool | Unset):  Default: False.
        body (NewIndex): An index as an admin asks for it (`POST …/tables/{table}/indexes`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SchemaChangeResult]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        table=table,
        body=body,
        dry_run=dry_run,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    base_id: str,
    table: str,
    *,
    client: AuthenticatedClient,
    body: NewIndex,
    dry_run: bool | Unset = False,
) -> Error | SchemaChangeResult | None:
    """Add an index on fields the table's lists sort or filter by

     Adds an index on 1 to 8 stored fields, in order (`name` or `name:desc`), then `id`: it serves lists
    sorted by those fields, and filters on the first. Built `CONCURRENTLY`: reads and writes go on, and
    the answer comes once it is built; `GET …/indexes` shows its progress meanwhile. Changes of one base
    run one at a time, each with its DDL in one transaction; the answer names the `schema_op` recording
    it and the new catalog version, which edges pick up at once. With `dry_run=true` the answer is the
    planned DDL instead (`dry_run`, `steps` and `change`).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        table (str):
        dry_run (bool | Unset):  Default: False.
        body (NewIndex): An index as an admin asks for it (`POST …/tables/{table}/indexes`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SchemaChangeResult
    """

    return sync_detailed(
        base_id=base_id,
        table=table,
        client=client,
        body=body,
        dry_run=dry_run,
    ).parsed


async def asyncio_detailed(
    base_id: str,
    table: str,
    *,
    client: AuthenticatedClient,
    body: NewIndex,
    dry_run: bool | Unset = False,
) -> Response[Error | SchemaChangeResult]:
    """Add an index on fields the table's lists sort or filter by

     Adds an index on 1 to 8 stored fields, in order (`name` or `name:desc`), then `id`: it serves lists
    sorted by those fields, and filters on the first. Built `CONCURRENTLY`: reads and writes go on, and
    the answer comes once it is built; `GET …/indexes` shows its progress meanwhile. Changes of one base
    run one at a time, each with its DDL in one transaction; the answer names the `schema_op` recording
    it and the new catalog version, which edges pick up at once. With `dry_run=true` the answer is the
    planned DDL instead (`dry_run`, `steps` and `change`).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        table (str):
        dry_run (bool | Unset):  Default: False.
        body (NewIndex): An index as an admin asks for it (`POST …/tables/{table}/indexes`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SchemaChangeResult]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        table=table,
        body=body,
        dry_run=dry_run,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    base_id: str,
    table: str,
    *,
    client: AuthenticatedClient,
    body: NewIndex,
    dry_run: bool | Unset = False,
) -> Error | SchemaChangeResult | None:
    """Add an index on fields the table's lists sort or filter by

     Adds an index on 1 to 8 stored fields, in order (`name` or `name:desc`), then `id`: it serves lists
    sorted by those fields, and filters on the first. Built `CONCURRENTLY`: reads and writes go on, and
    the answer comes once it is built; `GET …/indexes` shows its progress meanwhile. Changes of one base
    run one at a time, each with its DDL in one transaction; the answer names the `schema_op` recording
    it and the new catalog version, which edges pick up at once. With `dry_run=true` the answer is the
    planned DDL instead (`dry_run`, `steps` and `change`).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        table (str):
        dry_run (bool | Unset):  Default: False.
        body (NewIndex): An index as an admin asks for it (`POST …/tables/{table}/indexes`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SchemaChangeResult
    """

    return (
        await asyncio_detailed(
            base_id=base_id,
            table=table,
            client=client,
            body=body,
            dry_run=dry_run,
        )
    ).parsed
