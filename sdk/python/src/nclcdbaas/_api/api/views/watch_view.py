from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.watch_view_params import WatchViewParams
from ...types import UNSET, Response, Unset


def _get_kwargs(
    slug: str,
    *,
    params: WatchViewParams | Unset = UNSET,
    presence: bool | Unset = False,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    params: dict[str, Any] = {}

    json_params: dict[str, Any] | Unset = UNSET
    if not isinstance(params, Unset):
        json_params = params.to_dict()
    if not isinstance(json_params, Unset):
        params.update(json_params)

    params["presence"] = presence

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/public/views/{slug}/events".format(
            slug=quote(str(slug), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | str:
    if response.status_code == 200:
        response_200 = response.text
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
) -> Response[Error | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    slug: str,
    *,
    client: AuthenticatedClient,
    params: WatchViewParams | Unset = UNSET,
    presence: bool | Unset = False,
    last_event_id: str | Unset = UNSET,
) -> Response[Error | str]:
    """Follow a published view's changes as server-sent events

     The view's changes as server-sent events (`text/event-stream`), admitted as its data is (its key, a
    token of its base, or nobody, as it is published): one event per record the view with the request's
    parameters and filters selects that is created or updated (`record.created`, `record.updated`), with
    the record as the view shows it now. A deletion (`record.deleted`, the id alone) is sent only by
    views without filters of their own, since a deleted record can no longer be checked against them.
    `limit`, `cursor` and `sort` do not apply. Each event's `id` is a position in the base's change log:
    reconnect with `Last-Event-ID` set to the last `id` read to get every change after it, once. A
    stream ends after a while (25 seconds to a few minutes, as the edge is configured), or when the view
    is changed or unpublished; idle ones carry a comment every 15 seconds.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):
        params (WatchViewParams | Unset):
        presence (bool | Unset):  Default: False.
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs(
        slug=slug,
        params=params,
        presence=presence,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    slug: str,
    *,
    client: AuthenticatedClient,
    params: WatchViewParams | Unset = UNSET,
    presence: bool | Unset = False,
    last_event_id: str | Unset = UNSET,
) -> Error | str | None:
    """Follow a published view's changes as server-sent events

     The view's changes as server-sent events (`text/event-stream`), admitted as its data is (its key, a
    token of its base, or nobody, as it is published): one event per record the view with the request's
    parameters and filters selects that is created or updated (`record.created`, `record.updated`), with
    the record as the view shows it now. A deletion (`record.deleted`, the id alone) is sent only by
    views without filters of their own, since a deleted record can no longer be checked against them.
    `limit`, `cursor` and `sort` do not apply. Each event's `id` is a position in the base's change log:
    reconnect with `Last-Event-ID` set to the last `id` read to get every change after it, once. A
    stream ends after a while (25 seconds to a few minutes, as the edge is configured), or when the view
    is changed or unpublished; idle ones carry a comment every 15 seconds.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):
        params (WatchViewParams | Unset):
        presence (bool | Unset):  Default: False.
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return sync_detailed(
        slug=slug,
        client=client,
        params=params,
        presence=presence,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    slug: str,
    *,
    client: AuthenticatedClient,
    params: WatchViewParams | Unset = UNSET,
    presence: bool | Unset = False,
    last_event_id: str | Unset = UNSET,
) -> Response[Error | str]:
    """Follow a published view's changes as server-sent events

     The view's changes as server-sent events (`text/event-stream`), admitted as its data is (its key, a
    token of its base, or nobody, as it is published): one event per record the view with the request's
    parameters and filters selects that is created or updated (`record.created`, `record.updated`), with
    the record as the view shows it now. A deletion (`record.deleted`, the id alone) is sent only by
    views without filters of their own, since a deleted record can no longer be checked against them.
    `limit`, `cursor` and `sort` do not apply. Each event's `id` is a position in the base's change log:
    reconnect with `Last-Event-ID` set to the last `id` read to get every change after it, once. A
    stream ends after a while (25 seconds to a few minutes, as the edge is configured), or when the view
    is changed or unpublished; idle ones carry a comment every 15 seconds.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):
        params (WatchViewParams | Unset):
        presence (bool | Unset):  Default: False.
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | str]
    """

    kwargs = _get_kwargs(
        slug=slug,
        params=params,
        presence=presence,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    slug: str,
    *,
    client: AuthenticatedClient,
    params: WatchViewParams | Unset = UNSET,
    presence: bool | Unset = False,
    last_event_id: str | Unset = UNSET,
) -> Error | str | None:
    """Follow a published view's changes as server-sent events

     The view's changes as server-sent events (`text/event-stream`), admitted as its data is (its key, a
    token of its base, or nobody, as it is published): one event per record the view with the request's
    parameters and filters selects that is created or updated (`record.created`, `record.updated`), with
    the record as the view shows it now. A deletion (`record.deleted`, the id alone) is sent only by
    views without filters of their own, since a deleted record can no longer be checked against them.
    `limit`, `cursor` and `sort` do not apply. Each event's `id` is a position in the base's change log:
    reconnect with `Last-Event-ID` set to the last `id` read to get every change after it, once. A
    stream ends after a while (25 seconds to a few minutes, as the edge is configured), or when the view
    is changed or unpublished; idle ones carry a comment every 15 seconds.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):
        params (WatchViewParams | Unset):
        presence (bool | Unset):  Default: False.
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | str
    """

    return (
        await asyncio_detailed(
            slug=slug,
            client=client,
            params=params,
            presence=presence,
            last_event_id=last_event_id,
        )
    ).parsed
