from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.publish_request import PublishRequest
from ...models.view import View
from ...types import Response


def _get_kwargs(
    base_id: str,
    view: str,
    *,
    body: PublishRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/bases/{base_id}/views/{view}/publish".format(
            base_id=quote(str(base_id), safe=""),
            view=quote(str(view), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | View:
    if response.status_code == 200:
        response_200 = View.from_dict(response.json())

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
) -> Response[Error | View]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    base_id: str,
    view: str,
    *,
    client: AuthenticatedClient,
    body: PublishRequest,
) -> Response[Error | View]:
    """Publish or unpublish a view

     Turns `GET /public/views/{slug}/data` and `/meta` on or off, with the slug, the auth mode (`public`,
    `view_key`, `base_token`), the edge cache policy (seconds, at most 86400) and the version it serves
    (`version`; the active one when absent). The slug serves that version until the next publish,
    whatever edits come in between.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        view (str):
        body (PublishRequest): How a view is published.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | View]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        view=view,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    base_id: str,
    view: str,
    *,
    client: AuthenticatedClient,
    body: PublishRequest,
) -> Error | View | None:
    """Publish or unpublish a view

     Turns `GET /public/views/{slug}/data` and `/meta` on or off, with the slug, the auth mode (`public`,
    `view_key`, `base_token`), the edge cache policy (seconds, at most 86400) and the version it serves
    (`version`; the active one when absent). The slug serves that version until the next publish,
    whatever edits come in between.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        view (str):
        body (PublishRequest): How a view is published.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | View
    """

    return sync_detailed(
        base_id=base_id,
        view=view,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    base_id: str,
    view: str,
    *,
    client: AuthenticatedClient,
    body: PublishRequest,
) -> Response[Error | View]:
    """Publish or unpublish a view

     Turns `GET /public/views/{slug}/data` and `/meta` on or off, with the slug, the auth mode (`public`,
    `view_key`, `base_token`), the edge cache policy (seconds, at most 86400) and the version it serves
    (`version`; the active one when absent). The slug serves that version until the next publish,
    whatever edits come in between.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        view (str):
        body (PublishRequest): How a view is published.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | View]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        view=view,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    base_id: str,
    view: str,
    *,
    client: AuthenticatedClient,
    body: PublishRequest,
) -> Error | View | None:
    """Publish or unpublish a view

     Turns `GET /public/views/{slug}/data` and `/meta` on or off, with the slug, the auth mode (`public`,
    `view_key`, `base_token`), the edge cache policy (seconds, at most 86400) and the version it serves
    (`version`; the active one when absent). The slug serves that version until the next publish,
    whatever edits come in between.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        view (str):
        body (PublishRequest): How a view is published.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | View
    """

    return (
        await asyncio_detailed(
            base_id=base_id,
            view=view,
            client=client,
            body=body,
        )
    ).parsed
