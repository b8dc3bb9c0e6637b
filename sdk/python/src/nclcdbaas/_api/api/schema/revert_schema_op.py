from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.schema_change_result import SchemaChangeResult
from ...types import UNSET, Response, Unset


def _get_kwargs(
    base_id: str,
    op_id: UUID,
    *,
    dry_run: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/bases/{base_id}/schema-ops/{op_id}/revert".format(
            base_id=quote(str(base_id), safe=""),
            op_id=quote(str(op_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | SchemaChangeResult:
    if response.status_code == 200:
        response_200 = SchemaChangeResult.from_dict(response.json())

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
    op_id: UUID,
    *,
    client: AuthenticatedClient,
    dry_run: bool | Unset = False,
) -> Response[Error | SchemaChangeResult]:
    """Revert an applied schema change

     Brings the table back to the state the operation recorded before it ran, checked like an admin's own
    request: a created table or added field is dropped (softly), a rename goes back, a dropped table or
    field is restored with its values (a required field comes back optional), a field's definition, the
    rules, policies and indexes go back. A purge cannot be reverted. Refused with 412 naming `later_op`
    while a later change of the same table stands in the way (changes of two different fields, or a
    rename and another change, do not; a change a revert undid does not): revert newest first. A revert
    is itself an operation (`revert`) and can be reverted. Changes of one base run one at a time, each
    with its DDL in one transaction; the answer names the `schema_op` recording it and the new catalog
    version, which edges pick up at once. With `dry_run=true` the answer is the planned DDL instead
    (`dry_run`, `steps` and `change`).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        op_id (UUID):
        dry_run (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SchemaChangeResult]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        op_id=op_id,
        dry_run=dry_run,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    base_id: str,
    op_id: UUID,
    *,
    client: AuthenticatedClient,
    dry_run: bool | Unset = False,
) -> Error | SchemaChangeResult | None:
    """Revert an applied schema change

     Brings the table back to the state the operation recorded before it ran, checked like an admin's own
    request: a created table or added field is dropped (softly), a rename goes back, a dropped table or
    field is restored with its values (a required field comes back optional), a field's definition, the
    rules, policies and indexes go back. A purge cannot be reverted. Refused with 412 naming `later_op`
    while a later change of the same table stands in the way (changes of two different fields, or a
    rename and another change, do not; a change a revert undid does not): revert newest first. A revert
    is itself an operation (`revert`) and can be reverted. Changes of one base run one at a time, each
    with its DDL in one transaction; the answer names the `schema_op` recording it and the new catalog
    version, which edges pick up at once. With `dry_run=true` the answer is the planned DDL instead
    (`dry_run`, `steps` and `change`).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        op_id (UUID):
        dry_run (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SchemaChangeResult
    """

    return sync_detailed(
        base_id=base_id,
        op_id=op_id,
        client=client,
        dry_run=dry_run,
    ).parsed


async def asyncio_detailed(
    base_id: str,
    op_id: UUID,
    *,
    client: AuthenticatedClient,
    dry_run: bool | Unset = False,
) -> Response[Error | SchemaChangeResult]:
    """Revert an applied schema change

     Brings the table back to the state the operation recorded before it ran, checked like an admin's own
    request: a created table or added field is dropped (softly), a rename goes back, a dropped table or
    field is restored with its values (a required field comes back optional), a field's definition, the
    rules, policies and indexes go back. A purge cannot be reverted. Refused with 412 naming `later_op`
    while a later change of the same table stands in the way (changes of two different fields, or a
    rename and another change, do not; a change a revert undid does not): revert newest first. A revert
    is itself an operation (`revert`) and can be reverted. Changes of one base run one at a time, each
    with its DDL in one transaction; the answer names the `schema_op` recording it and the new catalog
    version, which edges pick up at once. With `dry_run=true` the answer is the planned DDL instead
    (`dry_run`, `steps` and `change`).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        op_id (UUID):
        dry_run (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | SchemaChangeResult]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        op_id=op_id,
        dry_run=dry_run,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    base_id: str,
    op_id: UUID,
    *,
    client: AuthenticatedClient,
    dry_run: bool | Unset = False,
) -> Error | SchemaChangeResult | None:
    """Revert an applied schema change

     Brings the table back to the state the operation recorded before it ran, checked like an admin's own
    request: a created table or added field is dropped (softly), a rename goes back, a dropped table or
    field is restored with its values (a required field comes back optional), a field's definition, the
    rules, policies and indexes go back. A purge cannot be reverted. Refused with 412 naming `later_op`
    while a later change of the same table stands in the way (changes of two different fields, or a
    rename and another change, do not; a change a revert undid does not): revert newest first. A revert
    is itself an operation (`revert`) and can be reverted. Changes of one base run one at a time, each
    with its DDL in one transaction; the answer names the `schema_op` recording it and the new catalog
    version, which edges pick up at once. With `dry_run=true` the answer is the planned DDL instead
    (`dry_run`, `steps` and `change`).

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        op_id (UUID):
        dry_run (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | SchemaChangeResult
    """

    return (
        await asyncio_detailed(
            base_id=base_id,
            op_id=op_id,
            client=client,
            dry_run=dry_run,
        )
    ).parsed
