from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.created_webhook import CreatedWebhook
from ...models.error import Error
from ...models.webhook_request import WebhookRequest
from ...types import Response


def _get_kwargs(
    base_id: str,
    *,
    body: WebhookRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/bases/{base_id}/webhooks".format(
            base_id=quote(str(base_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatedWebhook | Error:
    if response.status_code == 201:
        response_201 = CreatedWebhook.from_dict(response.json())

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
) -> Response[CreatedWebhook | Error]:
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
    body: WebhookRequest,
) -> Response[CreatedWebhook | Error]:
    """Create a webhook endpoint (its secret is shown once)

     Creates an endpoint that receives the base's record changes from now on, as POSTs of `{type,
    timestamp, data: {base_id, table_id, table, id, changed_fields, record, previous, actor,
    request_id}}`. Each delivery carries the Standard Webhooks headers (`webhook-id`, the same for every
    attempt of a change, `webhook-timestamp` and `webhook-signature`) and `X-Signature: sha256=<hex
    HMAC-SHA256 of the body>`, both under the `secret` this answer shows once. Deliveries come from the
    change log: every committed change is delivered at least once, in order per record; a 2xx answer
    within the timeout (10 s) counts as delivered, anything else is retried after 10 s, 20 s, 40 s… (at
    most 12 h apart, 20 attempts over about four days). When a delivery fails every attempt, the
    endpoint is turned off (`enabled: false` with `disabled_reason`, and an audit event); turning it on
    delivers from where it stopped.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        body (WebhookRequest): A new endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedWebhook | Error]
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
    body: WebhookRequest,
) -> CreatedWebhook | Error | None:
    """Create a webhook endpoint (its secret is shown once)

     Creates an endpoint that receives the base's record changes from now on, as POSTs of `{type,
    timestamp, data: {base_id, table_id, table, id, changed_fields, record, previous, actor,
    request_id}}`. Each delivery carries the Standard Webhooks headers (`webhook-id`, the same for every
    attempt of a change, `webhook-timestamp` and `webhook-signature`) and `X-Signature: sha256=<hex
    HMAC-SHA256 of the body>`, both under the `secret` this answer shows once. Deliveries come from the
    change log: every committed change is delivered at least once, in order per record; a 2xx answer
    within the timeout (10 s) counts as delivered, anything else is retried after 10 s, 20 s, 40 s… (at
    most 12 h apart, 20 attempts over about four days). When a delivery fails every attempt, the
    endpoint is turned off (`enabled: false` with `disabled_reason`, and an audit event); turning it on
    delivers from where it stopped.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        body (WebhookRequest): A new endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedWebhook | Error
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
    body: WebhookRequest,
) -> Response[CreatedWebhook | Error]:
    """Create a webhook endpoint (its secret is shown once)

     Creates an endpoint that receives the base's record changes from now on, as POSTs of `{type,
    timestamp, data: {base_id, table_id, table, id, changed_fields, record, previous, actor,
    request_id}}`. Each delivery carries the Standard Webhooks headers (`webhook-id`, the same for every
    attempt of a change, `webhook-timestamp` and `webhook-signature`) and `X-Signature: sha256=<hex
    HMAC-SHA256 of the body>`, both under the `secret` this answer shows once. Deliveries come from the
    change log: every committed change is delivered at least once, in order per record; a 2xx answer
    within the timeout (10 s) counts as delivered, anything else is retried after 10 s, 20 s, 40 s… (at
    most 12 h apart, 20 attempts over about four days). When a delivery fails every attempt, the
    endpoint is turned off (`enabled: false` with `disabled_reason`, and an audit event); turning it on
    delivers from where it stopped.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        body (WebhookRequest): A new endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedWebhook | Error]
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
    body: WebhookRequest,
) -> CreatedWebhook | Error | None:
    """Create a webhook endpoint (its secret is shown once)

     Creates an endpoint that receives the base's record changes from now on, as POSTs of `{type,
    timestamp, data: {base_id, table_id, table, id, changed_fields, record, previous, actor,
    request_id}}`. Each delivery carries the Standard Webhooks headers (`webhook-id`, the same for every
    attempt of a change, `webhook-timestamp` and `webhook-signature`) and `X-Signature: sha256=<hex
    HMAC-SHA256 of the body>`, both under the `secret` this answer shows once. Deliveries come from the
    change log: every committed change is delivered at least once, in order per record; a 2xx answer
    within the timeout (10 s) counts as delivered, anything else is retried after 10 s, 20 s, 40 s… (at
    most 12 h apart, 20 attempts over about four days). When a delivery fails every attempt, the
    endpoint is turned off (`enabled: false` with `disabled_reason`, and an audit event); turning it on
    delivers from where it stopped.

    Needs a signed-in user with the `admin` role (or above) in the workspace.

    Args:
        base_id (str):
        body (WebhookRequest): A new endpoint.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedWebhook | Error
    """

    return (
        await asyncio_detailed(
            base_id=base_id,
            client=client,
            body=body,
        )
    ).parsed
