from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: UUID,
    *,
    x_base_id: UUID | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_base_id, Unset):
        headers["X-Base-Id"] = x_base_id

    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs/{job_id}/events".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | str:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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
) -> Response[Any | Error | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    x_base_id: UUID | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[Any | Error | str]:
    """Follow a job's progress as server-sent events

     The job's progress as server-sent events (`text/event-stream`): an `event: progress` each time its
    state or progress changes (at most four a second), and `event: done` with its final state, after
    which the stream ends. Each event's `data` is the job, as `GET /v1/jobs/{jobId}` answers it, and its
    `id` the job's revision. A stream also ends after a while (25 seconds to a few minutes, as the edge
    is configured) and idle ones carry a comment every 15 seconds; reconnect with `Last-Event-ID` set to
    the last `id` read to get the states after it, as `EventSource` does by itself. Once the last state
    was read, reconnecting answers 204, which stops `EventSource`. A browser's `EventSource` cannot send
    `Authorization`: read the stream with `fetch` instead.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        job_id (UUID):
        x_base_id (UUID | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | str]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        x_base_id=x_base_id,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    x_base_id: UUID | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Any | Error | str | None:
    """Follow a job's progress as server-sent events

     The job's progress as server-sent events (`text/event-stream`): an `event: progress` each time its
    state or progress changes (at most four a second), and `event: done` with its final state, after
    which the stream ends. Each event's `data` is the job, as `GET /v1/jobs/{jobId}` answers it, and its
    `id` the job's revision. A stream also ends after a while (25 seconds to a few minutes, as the edge
    is configured) and idle ones carry a comment every 15 seconds; reconnect with `Last-Event-ID` set to
    the last `id` read to get the states after it, as `EventSource` does by itself. Once the last state
    was read, reconnecting answers 204, which stops `EventSource`. A browser's `EventSource` cannot send
    `Authorization`: read the stream with `fetch` instead.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        job_id (UUID):
        x_base_id (UUID | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | str
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        x_base_id=x_base_id,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    x_base_id: UUID | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[Any | Error | str]:
    """Follow a job's progress as server-sent events

     The job's progress as server-sent events (`text/event-stream`): an `event: progress` each time its
    state or progress changes (at most four a second), and `event: done` with its final state, after
    which the stream ends. Each event's `data` is the job, as `GET /v1/jobs/{jobId}` answers it, and its
    `id` the job's revision. A stream also ends after a while (25 seconds to a few minutes, as the edge
    is configured) and idle ones carry a comment every 15 seconds; reconnect with `Last-Event-ID` set to
    the last `id` read to get the states after it, as `EventSource` does by itself. Once the last state
    was read, reconnecting answers 204, which stops `EventSource`. A browser's `EventSource` cannot send
    `Authorization`: read the stream with `fetch` instead.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        job_id (UUID):
        x_base_id (UUID | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | str]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        x_base_id=x_base_id,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    x_base_id: UUID | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Any | Error | str | None:
    """Follow a job's progress as server-sent events

     The job's progress as server-sent events (`text/event-stream`): an `event: progress` each time its
    state or progress changes (at most four a second), and `event: done` with its final state, after
    which the stream ends. Each event's `data` is the job, as `GET /v1/jobs/{jobId}` answers it, and its
    `id` the job's revision. A stream also ends after a while (25 seconds to a few minutes, as the edge
    is configured) and idle ones carry a comment every 15 seconds; reconnect with `Last-Event-ID` set to
    the last `id` read to get the states after it, as `EventSource` does by itself. Once the last state
    was read, reconnecting answers 204, which stops `EventSource`. A browser's `EventSource` cannot send
    `Authorization`: read the stream with `fetch` instead.

    Needs an API token with the `read` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `read` (viewers read; editors and above also write and delete).

    Args:
        job_id (UUID):
        x_base_id (UUID | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | str
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            x_base_id=x_base_id,
            last_event_id=last_event_id,
        )
    ).parsed
