from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.undo_report import UndoReport
from ...models.undo_request import UndoRequest
from ...types import Response


def _get_kwargs(
    base_id: str,
    *,
    body: UndoRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/bases/{base_id}/changes:undo".format(
            base_id=quote(str(base_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | UndoReport:
    if response.status_code == 200:
        response_200 = UndoReport.from_dict(response.json())

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
) -> Response[Error | UndoReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    base_id: str,
    *,
    client: AuthenticatedClient,
    body: UndoRequest,
) -> Response[Error | UndoReport]:
    """Undo everything written to a base after a time, or preview it

     Puts every record of the base written after `after` back to what it was then, from the change log,
    as writes of the caller's in one transaction (checked, logged, and undoable in turn): an updated
    record gets its values back, a deleted one is created again with its id, a created one is deleted.
    With `dry_run` nothing is written and the answer says what would be; pass its `through` back to undo
    exactly that, or to be told (412) that a record was written since. Fields the table no longer has,
    and computed ones, are not restored; records of dropped tables are left alone. One undo writes at
    most 10,000 records: for more, restore a backup to a scratch cluster and copy the base back (the
    runbook).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        body (UndoRequest): `POST /api/v1/bases/{baseId}/changes:undo`: undo everything written to
            the base after
            `after`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UndoReport]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    base_id: str,
    *,
    client: AuthenticatedClient,
    body: UndoRequest,
) -> Error | UndoReport | None:
    """Undo everything written to a base after a time, or preview it

     Puts every record of the base written after `after` back to what it was then, from the change log,
    as writes of the caller's in one transaction (checked, logged, and undoable in turn): an updated
    record gets its values back, a deleted one is created again with its id, a created one is deleted.
    With `dry_run` nothing is written and the answer says what would be; pass its `through` back to undo
    exactly that, or to be told (412) that a record was written since. Fields the table no longer has,
    and computed ones, are not restored; records of dropped tables are left alone. One undo writes at
    most 10,000 records: for more, restore a backup to a scratch cluster and copy the base back (the
    runbook).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        body (UndoRequest): `POST /api/v1/bases/{baseId}/changes:undo`: undo everything written to
            the base after
            `after`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UndoReport
    """

    return sync_detailed(
        base_id=base_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    base_id: str,
    *,
    client: AuthenticatedClient,
    body: UndoRequest,
) -> Response[Error | UndoReport]:
    """Undo everything written to a base after a time, or preview it

     Puts every record of the base written after `after` back to what it was then, from the change log,
    as writes of the caller's in one transaction (checked, logged, and undoable in turn): an updated
    record gets its values back, a deleted one is created again with its id, a created one is deleted.
    With `dry_run` nothing is written and the answer says what would be; pass its `through` back to undo
    exactly that, or to be told (412) that a record was written since. Fields the table no longer has,
    and computed ones, are not restored; records of dropped tables are left alone. One undo writes at
    most 10,000 records: for more, restore a backup to a scratch cluster and copy the base back (the
    runbook).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        body (UndoRequest): `POST /api/v1/bases/{baseId}/changes:undo`: undo everything written to
            the base after
            `after`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UndoReport]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    base_id: str,
    *,
    client: AuthenticatedClient,
    body: UndoRequest,
) -> Error | UndoReport | None:
    """Undo everything written to a base after a time, or preview it

     Puts every record of the base written after `after` back to what it was then, from the change log,
    as writes of the caller's in one transaction (checked, logged, and undoable in turn): an updated
    record gets its values back, a deleted one is created again with its id, a created one is deleted.
    With `dry_run` nothing is written and the answer says what would be; pass its `through` back to undo
    exactly that, or to be told (412) that a record was written since. Fields the table no longer has,
    and computed ones, are not restored; records of dropped tables are left alone. One undo writes at
    most 10,000 records: for more, restore a backup to a scratch cluster and copy the base back (the
    runbook).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        body (UndoRequest): `POST /api/v1/bases/{baseId}/changes:undo`: undo everything written to
            the base after
            `after`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UndoReport
    """

    return (
        await asyncio_detailed(
            base_id=base_id,
            client=client,
            body=body,
        )
    ).parsed
