from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.reverted import Reverted
from ...types import Response


def _get_kwargs(
    base_id: str,
    table: str,
    seq: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/bases/{base_id}/tables/{table}/history/{seq}/revert".format(
            base_id=quote(str(base_id), safe=""),
            table=quote(str(table), safe=""),
            seq=quote(str(seq), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Reverted:
    if response.status_code == 200:
        response_200 = Reverted.from_dict(response.json())

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
) -> Response[Error | Reverted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    base_id: str,
    table: str,
    seq: int,
    *,
    client: AuthenticatedClient,
) -> Response[Error | Reverted]:
    """Undo one change of a record: restore it, undelete it, or remove it again

     Undoes one change of a record, as a write of the caller's (checked, logged, and itself revertible):
    an update is undone by writing back the values the change replaced, a deletion by creating the
    record again with its id and values, a creation by deleting the record. Only a record's latest
    change can be undone (412 names the later one: undo newest first). Fields the table no longer has,
    and computed ones, are not restored (`skipped_fields`).

    Needs a signed-in user with the `editor` role (or above) in the workspace.

    Args:
        base_id (str):
        table (str):
        seq (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Reverted]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        table=table,
        seq=seq,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    base_id: str,
    table: str,
    seq: int,
    *,
    client: AuthenticatedClient,
) -> Error | Reverted | None:
    """Undo one change of a record: restore it, undelete it, or remove it again

     Undoes one change of a record, as a write of the caller's (checked, logged, and itself revertible):
    an update is undone by writing back the values the change replaced, a deletion by creating the
    record again with its id and values, a creation by deleting the record. Only a record's latest
    change can be undone (412 names the later one: undo newest first). Fields the table no longer has,
    and computed ones, are not restored (`skipped_fields`).

    Needs a signed-in user with the `editor` role (or above) in the workspace.

    Args:
        base_id (str):
        table (str):
        seq (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Reverted
    """

    return sync_detailed(
        base_id=base_id,
        table=table,
        seq=seq,
        client=client,
    ).parsed


async def asyncio_detailed(
    base_id: str,
    table: str,
    seq: int,
    *,
    client: AuthenticatedClient,
) -> Response[Error | Reverted]:
    """Undo one change of a record: restore it, undelete it, or remove it again

     Undoes one change of a record, as a write of the caller's (checked, logged, and itself revertible):
    an update is undone by writing back the values the change replaced, a deletion by creating the
    record again with its id and values, a creation by deleting the record. Only a record's latest
    change can be undone (412 names the later one: undo newest first). Fields the table no longer has,
    and computed ones, are not restored (`skipped_fields`).

    Needs a signed-in user with the `editor` role (or above) in the workspace.

    Args:
        base_id (str):
        table (str):
        seq (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Reverted]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        table=table,
        seq=seq,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    base_id: str,
    table: str,
    seq: int,
    *,
    client: AuthenticatedClient,
) -> Error | Reverted | None:
    """Undo one change of a record: restore it, undelete it, or remove it again

     Undoes one change of a record, as a write of the caller's (checked, logged, and itself revertible):
    an update is undone by writing back the values the change replaced, a deletion by creating the
    record again with its id and values, a creation by deleting the record. Only a record's latest
    change can be undone (412 names the later one: undo newest first). Fields the table no longer has,
    and computed ones, are not restored (`skipped_fields`).

    Needs a signed-in user with the `editor` role (or above) in the workspace.

    Args:
        base_id (str):
        table (str):
        seq (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Reverted
    """

    return (
        await asyncio_detailed(
            base_id=base_id,
            table=table,
            seq=seq,
            client=client,
        )
    ).parsed
