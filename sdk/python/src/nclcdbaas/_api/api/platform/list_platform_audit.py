import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.audit_page import AuditPage
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    tenant: UUID | Unset = UNSET,
    actor: str | Unset = UNSET,
    action: str | Unset = UNSET,
    resource: str | Unset = UNSET,
    base: UUID | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_tenant: str | Unset = UNSET
    if not isinstance(tenant, Unset):
        json_tenant = str(tenant)
    params["tenant"] = json_tenant

    params["actor"] = actor

    params["action"] = action

    params["resource"] = resource

    json_base: str | Unset = UNSET
    if not isinstance(base, Unset):
        json_base = str(base)
    params["base"] = json_base

    json_since: str | Unset = UNSET
    if not isinstance(since, Unset):
        json_since = since.isoformat()
    params["since"] = json_since

    json_until: str | Unset = UNSET
    if not isinstance(until, Unset):
        json_until = until.isoformat()
    params["until"] = json_until

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/operator/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditPage | Error:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())

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
) -> Response[AuditPage | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    tenant: UUID | Unset = UNSET,
    actor: str | Unset = UNSET,
    action: str | Unset = UNSET,
    resource: str | Unset = UNSET,
    base: UUID | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[AuditPage | Error]:
    """Read the audit log of every tenant, newest first

     Needs a signed-in platform operator (granted with `origin admin operator --email <email>`).

    Args:
        tenant (UUID | Unset):
        actor (str | Unset):
        action (str | Unset):
        resource (str | Unset):
        base (UUID | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        cursor (str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Error]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        actor=actor,
        action=action,
        resource=resource,
        base=base,
        since=since,
        until=until,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    tenant: UUID | Unset = UNSET,
    actor: str | Unset = UNSET,
    action: str | Unset = UNSET,
    resource: str | Unset = UNSET,
    base: UUID | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> AuditPage | Error | None:
    """Read the audit log of every tenant, newest first

     Needs a signed-in platform operator (granted with `origin admin operator --email <email>`).

    Args:
        tenant (UUID | Unset):
        actor (str | Unset):
        action (str | Unset):
        resource (str | Unset):
        base (UUID | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        cursor (str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Error
    """

    return sync_detailed(
        client=client,
        tenant=tenant,
        actor=actor,
        action=action,
        resource=resource,
        base=base,
        since=since,
        until=until,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    tenant: UUID | Unset = UNSET,
    actor: str | Unset = UNSET,
    action: str | Unset = UNSET,
    resource: str | Unset = UNSET,
    base: UUID | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[AuditPage | Error]:
    """Read the audit log of every tenant, newest first

     Needs a signed-in platform operator (granted with `origin admin operator --email <email>`).

    Args:
        tenant (UUID | Unset):
        actor (str | Unset):
        action (str | Unset):
        resource (str | Unset):
        base (UUID | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        cursor (str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Error]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        actor=actor,
        action=action,
        resource=resource,
        base=base,
        since=since,
        until=until,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    tenant: UUID | Unset = UNSET,
    actor: str | Unset = UNSET,
    action: str | Unset = UNSET,
    resource: str | Unset = UNSET,
    base: UUID | Unset = UNSET,
    since: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 50,
) -> AuditPage | Error | None:
    """Read the audit log of every tenant, newest first

     Needs a signed-in platform operator (granted with `origin admin operator --email <email>`).

    Args:
        tenant (UUID | Unset):
        actor (str | Unset):
        action (str | Unset):
        resource (str | Unset):
        base (UUID | Unset):
        since (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        cursor (str | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            tenant=tenant,
            actor=actor,
            action=action,
            resource=resource,
            base=base,
            since=since,
            until=until,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
