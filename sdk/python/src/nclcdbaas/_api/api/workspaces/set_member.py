from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.invitation_created import InvitationCreated
from ...models.member import Member
from ...models.member_request import MemberRequest
from ...types import Response


def _get_kwargs(
    workspace_id: str,
    *,
    body: MemberRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/workspaces/{workspace_id}/members".format(
            workspace_id=quote(str(workspace_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | InvitationCreated | Member:
    if response.status_code == 200:
        response_200 = Member.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = InvitationCreated.from_dict(response.json())

        return response_202

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
) -> Response[Error | InvitationCreated | Member]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workspace_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberRequest,
) -> Response[Error | InvitationCreated | Member]:
    """Invite someone or change a member's role

     Changes the role of the member with this email (200), or invites the email with the role (202):
    nobody becomes a member unasked, and the answer is the same whether or not the email has an account.
    The invitee accepts once signed in with that email; inviting again renews a pending invitation (14
    days). Granting or taking the admin or owner role needs the `owner` role; a workspace keeps at least
    one owner.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        workspace_id (str):
        body (MemberRequest): Who, and their role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | InvitationCreated | Member]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workspace_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberRequest,
) -> Error | InvitationCreated | Member | None:
    """Invite someone or change a member's role

     Changes the role of the member with this email (200), or invites the email with the role (202):
    nobody becomes a member unasked, and the answer is the same whether or not the email has an account.
    The invitee accepts once signed in with that email; inviting again renews a pending invitation (14
    days). Granting or taking the admin or owner role needs the `owner` role; a workspace keeps at least
    one owner.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        workspace_id (str):
        body (MemberRequest): Who, and their role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | InvitationCreated | Member
    """

    return sync_detailed(
        workspace_id=workspace_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    workspace_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberRequest,
) -> Response[Error | InvitationCreated | Member]:
    """Invite someone or change a member's role

     Changes the role of the member with this email (200), or invites the email with the role (202):
    nobody becomes a member unasked, and the answer is the same whether or not the email has an account.
    The invitee accepts once signed in with that email; inviting again renews a pending invitation (14
    days). Granting or taking the admin or owner role needs the `owner` role; a workspace keeps at least
    one owner.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        workspace_id (str):
        body (MemberRequest): Who, and their role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | InvitationCreated | Member]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workspace_id: str,
    *,
    client: AuthenticatedClient,
    body: MemberRequest,
) -> Error | InvitationCreated | Member | None:
    """Invite someone or change a member's role

     Changes the role of the member with this email (200), or invites the email with the role (202):
    nobody becomes a member unasked, and the answer is the same whether or not the email has an account.
    The invitee accepts once signed in with that email; inviting again renews a pending invitation (14
    days). Granting or taking the admin or owner role needs the `owner` role; a workspace keeps at least
    one owner.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        workspace_id (str):
        body (MemberRequest): Who, and their role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | InvitationCreated | Member
    """

    return (
        await asyncio_detailed(
            workspace_id=workspace_id,
            client=client,
            body=body,
        )
    ).parsed
