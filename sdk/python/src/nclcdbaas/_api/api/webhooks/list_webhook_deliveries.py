from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.delivery_list import DeliveryList
from ...models.error import Error
from ...models.list_webhook_deliveries_state import ListWebhookDeliveriesState
from ...types import UNSET, Response, Unset


def _get_kwargs(
    base_id: str,
    webhook_id: str,
    *,
    state: ListWebhookDeliveriesState | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_state: str | Unset = UNSET
    if not isinstance(state, Unset):
        json_state = state.value

    params["state"] = json_state

    params["before"] = before

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/bases/{base_id}/webhooks/{webhook_id}/deliveries".format(
            base_id=quote(str(base_id), safe=""),
            webhook_id=quote(str(webhook_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeliveryList | Error:
    if response.status_code == 200:
        response_200 = DeliveryList.from_dict(response.json())

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
) -> Response[DeliveryList | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    base_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    state: ListWebhookDeliveriesState | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[DeliveryList | Error]:
    """Read an endpoint's delivery log, newest first

     The endpoint's deliveries, newest first: the message id, event, record, state (`pending`,
    `delivered`, `failed`), the body sent and every attempt with the receiver's status, latency and
    error. `state` narrows the list; pass `next_before` as `before` for older ones.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        webhook_id (str):
        state (ListWebhookDeliveriesState | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryList | Error]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        webhook_id=webhook_id,
        state=state,
        before=before,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    base_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    state: ListWebhookDeliveriesState | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
) -> DeliveryList | Error | None:
    """Read an endpoint's delivery log, newest first

     The endpoint's deliveries, newest first: the message id, event, record, state (`pending`,
    `delivered`, `failed`), the body sent and every attempt with the receiver's status, latency and
    error. `state` narrows the list; pass `next_before` as `before` for older ones.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        webhook_id (str):
        state (ListWebhookDeliveriesState | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryList | Error
    """

    return sync_detailed(
        base_id=base_id,
        webhook_id=webhook_id,
        client=client,
        state=state,
        before=before,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    base_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    state: ListWebhookDeliveriesState | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[DeliveryList | Error]:
    """Read an endpoint's delivery log, newest first

     The endpoint's deliveries, newest first: the message id, event, record, state (`pending`,
    `delivered`, `failed`), the body sent and every attempt with the receiver's status, latency and
    error. `state` narrows the list; pass `next_before` as `before` for older ones.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        webhook_id (str):
        state (ListWebhookDeliveriesState | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryList | Error]
    """

    kwargs = _get_kwargs(
        base_id=base_id,
        webhook_id=webhook_id,
        state=state,
        before=before,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    base_id: str,
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    state: ListWebhookDeliveriesState | Unset = UNSET,
    before: int | Unset = UNSET,
    limit: int | Unset = 50,
) -> DeliveryList | Error | None:
    """Read an endpoint's delivery log, newest first

     The endpoint's deliveries, newest first: the message id, event, record, state (`pending`,
    `delivered`, `failed`), the body sent and every attempt with the receiver's status, latency and
    error. `state` narrows the list; pass `next_before` as `before` for older ones.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        webhook_id (str):
        state (ListWebhookDeliveriesState | Unset):
        before (int | Unset):
        limit (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryList | Error
    """

    return (
        await asyncio_detailed(
            base_id=base_id,
            webhook_id=webhook_id,
            client=client,
            state=state,
            before=before,
            limit=limit,
        )
    ).parsed
