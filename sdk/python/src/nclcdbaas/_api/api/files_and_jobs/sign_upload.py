from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.upload_form import UploadForm
from ...models.upload_request import UploadRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UploadRequest,
    x_base_id: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_base_id, Unset):
        headers["X-Base-Id"] = x_base_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/files:signUpload",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | UploadForm:
    if response.status_code == 201:
        response_201 = UploadForm.from_dict(response.json())

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
) -> Response[Error | UploadForm]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadRequest,
    x_base_id: UUID | Unset = UNSET,
) -> Response[Error | UploadForm]:
    """Get a presigned form to upload a file

     Announces a file and answers a form to post it straight to the object store, valid 15 minutes; the
    store refuses another size or media type. The base's settings bound it (413 `PAYLOAD_TOO_LARGE`
    above its largest upload, 422 for a media type it does not accept), and so does its plan (403
    `PLAN_LIMIT` when the base would store more than the plan keeps). Name the answer's `file_id` in a
    `file` field, or import it as CSV; one never used is deleted after the retention period.

    Needs an API token with the `write` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `write` (viewers read; editors and above also write and delete).

    Args:
        x_base_id (UUID | Unset):
        body (UploadRequest): `POST /v1/files:signUpload`: announces a file.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UploadForm]
    """

    kwargs = _get_kwargs(
        body=body,
        x_base_id=x_base_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: UploadRequest,
    x_base_id: UUID | Unset = UNSET,
) -> Error | UploadForm | None:
    """Get a presigned form to upload a file

     Announces a file and answers a form to post it straight to the object store, valid 15 minutes; the
    store refuses another size or media type. The base's settings bound it (413 `PAYLOAD_TOO_LARGE`
    above its largest upload, 422 for a media type it does not accept), and so does its plan (403
    `PLAN_LIMIT` when the base would store more than the plan keeps). Name the answer's `file_id` in a
    `file` field, or import it as CSV; one never used is deleted after the retention period.

    Needs an API token with the `write` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `write` (viewers read; editors and above also write and delete).

    Args:
        x_base_id (UUID | Unset):
        body (UploadRequest): `POST /v1/files:signUpload`: announces a file.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UploadForm
    """

    return sync_detailed(
        client=client,
        body=body,
        x_base_id=x_base_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadRequest,
    x_base_id: UUID | Unset = UNSET,
) -> Response[Error | UploadForm]:
    """Get a presigned form to upload a file

     Announces a file and answers a form to post it straight to the object store, valid 15 minutes; the
    store refuses another size or media type. The base's settings bound it (413 `PAYLOAD_TOO_LARGE`
    above its largest upload, 422 for a media type it does not accept), and so does its plan (403
    `PLAN_LIMIT` when the base would store more than the plan keeps). Name the answer's `file_id` in a
    `file` field, or import it as CSV; one never used is deleted after the retention period.

    Needs an API token with the `write` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `write` (viewers read; editors and above also write and delete).

    Args:
        x_base_id (UUID | Unset):
        body (UploadRequest): `POST /v1/files:signUpload`: announces a file.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UploadForm]
    """

    kwargs = _get_kwargs(
        body=body,
        x_base_id=x_base_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UploadRequest,
    x_base_id: UUID | Unset = UNSET,
) -> Error | UploadForm | None:
    """Get a presigned form to upload a file

     Announces a file and answers a form to post it straight to the object store, valid 15 minutes; the
    store refuses another size or media type. The base's settings bound it (413 `PAYLOAD_TOO_LARGE`
    above its largest upload, 422 for a media type it does not accept), and so does its plan (403
    `PLAN_LIMIT` when the base would store more than the plan keeps). Name the answer's `file_id` in a
    `file` field, or import it as CSV; one never used is deleted after the retention period.

    Needs an API token with the `write` scope, or a signed-in user's access token with `X-Base-Id` and a
    role that grants `write` (viewers read; editors and above also write and delete).

    Args:
        x_base_id (UUID | Unset):
        body (UploadRequest): `POST /v1/files:signUpload`: announces a file.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UploadForm
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_base_id=x_base_id,
        )
    ).parsed
