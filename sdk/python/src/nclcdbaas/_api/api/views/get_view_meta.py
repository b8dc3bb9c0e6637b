from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.view_meta import ViewMeta
from ...types import Response


def _get_kwargs(
    slug: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/public/views/{slug}/meta".format(
            slug=quote(str(slug), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ViewMeta:
    if response.status_code == 200:
        response_200 = ViewMeta.from_dict(response.json())

        return response_200

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
) -> Response[Error | ViewMeta]:
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
) -> Response[Error | ViewMeta]:
    """How to call a published view

     The endpoint's URL template, its parameters (types, examples, which are required), the filters and
    operators and the sorts it allows, pagination, the response's JSON Schema, and curl, fetch and
    Postman-ready examples that work as they are.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ViewMeta]
    """

    kwargs = _get_kwargs(
        slug=slug,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    slug: str,
    *,
    client: AuthenticatedClient,
) -> Error | ViewMeta | None:
    """How to call a published view

     The endpoint's URL template, its parameters (types, examples, which are required), the filters and
    operators and the sorts it allows, pagination, the response's JSON Schema, and curl, fetch and
    Postman-ready examples that work as they are.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ViewMeta
    """

    return sync_detailed(
        slug=slug,
        client=client,
    ).parsed


async def asyncio_detailed(
    slug: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | ViewMeta]:
    """How to call a published view

     The endpoint's URL template, its parameters (types, examples, which are required), the filters and
    operators and the sorts it allows, pagination, the response's JSON Schema, and curl, fetch and
    Postman-ready examples that work as they are.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ViewMeta]
    """

    kwargs = _get_kwargs(
        slug=slug,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    slug: str,
    *,
    client: AuthenticatedClient,
) -> Error | ViewMeta | None:
    """How to call a published view

     The endpoint's URL template, its parameters (types, examples, which are required), the filters and
    operators and the sorts it allows, pagination, the response's JSON Schema, and curl, fetch and
    Postman-ready examples that work as they are.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ViewMeta
    """

    return (
        await asyncio_detailed(
            slug=slug,
            client=client,
        )
    ).parsed
