from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.get_view_data_params import GetViewDataParams
from ...models.view_page import ViewPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    slug: str,
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    params: GetViewDataParams | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["sort"] = sort

    json_params: dict[str, Any] | Unset = UNSET
    if not isinstance(params, Unset):
        json_params = params.to_dict()
    if not isinstance(json_params, Unset):
        params.update(json_params)

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/public/views/{slug}/data".format(
            slug=quote(str(slug), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | ViewPage:
    if response.status_code == 200:
        response_200 = ViewPage.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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
) -> Response[Any | Error | ViewPage]:
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
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    params: GetViewDataParams | Unset = UNSET,
) -> Response[Any | Error | ViewPage]:
    """A published view's records

     A page of the view's records: only its table and fields, its own filters always applied. Query:
    `limit` (the view's default, 25 unless set; at most its maximum), `cursor` (`page.next_cursor`),
    `sort=field:asc|desc` on the fields it allows, `filter[field][op]=value` for the filters it allows,
    and its parameters by name (`GET …/meta` lists them all). Answers carry `Cache-Control` (the view's
    policy), `ETag` (304 with `If-None-Match`), `Age` and `X-Cache: HIT|MISS|STALE`; the edge serves
    cached answers until a write changes the data (within a second) or the view changes.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        params (GetViewDataParams | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | ViewPage]
    """

    kwargs = _get_kwargs(
        slug=slug,
        limit=limit,
        cursor=cursor,
        sort=sort,
        params=params,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    slug: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    params: GetViewDataParams | Unset = UNSET,
) -> Any | Error | ViewPage | None:
    """A published view's records

     A page of the view's records: only its table and fields, its own filters always applied. Query:
    `limit` (the view's default, 25 unless set; at most its maximum), `cursor` (`page.next_cursor`),
    `sort=field:asc|desc` on the fields it allows, `filter[field][op]=value` for the filters it allows,
    and its parameters by name (`GET …/meta` lists them all). Answers carry `Cache-Control` (the view's
    policy), `ETag` (304 with `If-None-Match`), `Age` and `X-Cache: HIT|MISS|STALE`; the edge serves
    cached answers until a write changes the data (within a second) or the view changes.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        params (GetViewDataParams | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | ViewPage
    """

    return sync_detailed(
        slug=slug,
        client=client,
        limit=limit,
        cursor=cursor,
        sort=sort,
        params=params,
    ).parsed


async def asyncio_detailed(
    slug: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    params: GetViewDataParams | Unset = UNSET,
) -> Response[Any | Error | ViewPage]:
    """A published view's records

     A page of the view's records: only its table and fields, its own filters always applied. Query:
    `limit` (the view's default, 25 unless set; at most its maximum), `cursor` (`page.next_cursor`),
    `sort=field:asc|desc` on the fields it allows, `filter[field][op]=value` for the filters it allows,
    and its parameters by name (`GET …/meta` lists them all). Answers carry `Cache-Control` (the view's
    policy), `ETag` (304 with `If-None-Match`), `Age` and `X-Cache: HIT|MISS|STALE`; the edge serves
    cached answers until a write changes the data (within a second) or the view changes.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        params (GetViewDataParams | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | ViewPage]
    """

    kwargs = _get_kwargs(
        slug=slug,
        limit=limit,
        cursor=cursor,
        sort=sort,
        params=params,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    slug: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    params: GetViewDataParams | Unset = UNSET,
) -> Any | Error | ViewPage | None:
    """A published view's records

     A page of the view's records: only its table and fields, its own filters always applied. Query:
    `limit` (the view's default, 25 unless set; at most its maximum), `cursor` (`page.next_cursor`),
    `sort=field:asc|desc` on the fields it allows, `filter[field][op]=value` for the filters it allows,
    and its parameters by name (`GET …/meta` lists them all). Answers carry `Cache-Control` (the view's
    policy), `ETag` (304 with `If-None-Match`), `Age` and `X-Cache: HIT|MISS|STALE`; the edge serves
    cached answers until a write changes the data (within a second) or the view changes.

    As the view is published: `public` needs nothing, `view_key` a key of the view, `base_token` an API
    token of its base with `read`.

    Args:
        slug (str):
        limit (int | Unset):
        cursor (str | Unset):
        sort (str | Unset):
        params (GetViewDataParams | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | ViewPage
    """

    return (
        await asyncio_detailed(
            slug=slug,
            client=client,
            limit=limit,
            cursor=cursor,
            sort=sort,
            params=params,
        )
    ).parsed
