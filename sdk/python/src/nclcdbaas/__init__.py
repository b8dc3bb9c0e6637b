"""The NC LCDBaaS client: the records API as ``client.records``, and every operation of the
API by its ``operationId`` as ``client.call(...)``.

``_api`` (the typed client, models included) and ``operations.py`` are generated
(``cargo xtask sdk``); this module is the thin layer on top: authentication headers, typed
errors, idempotency keys on writes, retries of 429 and 503 that honour ``Retry-After``,
paging by iteration, and event streams resumed after the last event read.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union
from urllib.parse import quote, urlencode

import httpx

from ._api import AuthenticatedClient
from .operations import OPERATIONS

__all__ = ["ApiError", "Client", "OPERATIONS"]

_WRITES = {"POST", "PUT", "PATCH", "DELETE"}

Filter = Mapping[str, Mapping[str, Union[str, int, float, bool, Sequence[Union[str, int, float]]]]]


class ApiError(Exception):
    """An answer in the API's error model: ``code`` is stable, ``request_id`` is what support asks for."""

    def __init__(self, status: int, code: str, message: str, request_id: Optional[str], details: Dict[str, Any]):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.details = details


def records_query(
    filter: Optional[Filter] = None,
    where: Any = None,
    sort: Union[str, Sequence[str], None] = None,
    fields: Optional[Sequence[str]] = None,
    limit: Optional[int] = None,
    cursor: Optional[str] = None,
    include: Optional[Sequence[str]] = None,
) -> str:
    """The query string the records API reads: ``filter[field][op]=value``, lists comma-joined."""
    pairs: List[tuple] = []
    for field, conditions in (filter or {}).items():
        for op, value in conditions.items():
            if isinstance(value, (list, tuple)):
                value = ",".join(str(item) for item in value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            pairs.append((f"filter[{field}][{op}]", str(value)))
    if where is not None:
        pairs.append(("where", json.dumps(where)))
    if sort is not None:
        pairs.append(("sort", sort if isinstance(sort, str) else ",".join(sort)))
    if fields is not None:
        pairs.append(("fields", ",".join(fields)))
    if include:
        pairs.append(("include", ",".join(include)))
    if limit is not None:
        pairs.append(("limit", str(limit)))
    if cursor is not None:
        pairs.append(("cursor", cursor))
    return urlencode(pairs)


class Client:
    """A client of one deployment, with an API token (``nc_…``) or a user's access token.

    ``base_id`` names the base a user's access token acts on (``X-Base-Id``).
    """

    def __init__(
        self,
        base_url: str,
        token: Optional[str] = None,
        base_id: Optional[str] = None,
        retries: int = 3,
        max_retry_delay: float = 30.0,
        timeout: float = 30.0,
        transport: Optional[httpx.BaseTransport] = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.base_id = base_id
        self.retries = retries
        self.max_retry_delay = max_retry_delay
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)
        self.records = Records(self)

    @property
    def api(self) -> AuthenticatedClient:
        """The generated client, for the typed functions of ``nclcdbaas._api.api``."""
        headers = {"X-Base-Id": self.base_id} if self.base_id else {}
        return AuthenticatedClient(base_url=self.base_url, token=self.token or "", headers=headers)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def call(
        self,
        operation_id: str,
        path: Optional[Mapping[str, str]] = None,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> Any:
        """Calls one operation by its ``operationId``; the answer's JSON body, or an ``ApiError``."""
        try:
            method, template = OPERATIONS[operation_id]
        except KeyError:
            raise ValueError(f"no operation {operation_id!r}; see nclcdbaas.OPERATIONS") from None
        url = template
        for name, value in (path or {}).items():
            url = url.replace("{" + name + "}", quote(str(value), safe=""))
        if "{" in url:
            raise ValueError(f"{operation_id} needs the path parameters of {template}")
        query_string = urlencode([(key, str(value)) for key, value in (query or {}).items()])
        return self.request(method, url + (f"?{query_string}" if query_string else ""), body, headers)[0]

    def request(
        self, method: str, url: str, body: Any = None, headers: Optional[Mapping[str, str]] = None
    ) -> tuple:
        """Sends one request (retried as the client says); the JSON body and the response."""
        method = method.upper()
        all_headers = {"Accept": "application/json"}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if self.base_id:
            all_headers["X-Base-Id"] = self.base_id
        if method in _WRITES:
            # The same key on every attempt: a write retried after a lost answer applies once.
            all_headers["X-Idempotency-Key"] = str(uuid.uuid4())
        content = None
        if body is not None:
            all_headers["Content-Type"] = "application/json"
            content = json.dumps(body).encode()
        all_headers.update(headers or {})
        attempt = 0
        while True:
            try:
                response = self._http.request(method, url, content=content, headers=all_headers)
            except httpx.TransportError:
                if attempt >= self.retries:
                    raise
                self._wait(attempt, None)
                attempt += 1
                continue
            if response.status_code in (429, 503) and attempt < self.retries:
                self._wait(attempt, response.headers.get("retry-after"))
                attempt += 1
                continue
            data = response.json() if response.content else None
            if response.status_code >= 400:
                raise _error(response, data)
            return data, response

    def job_events(self, job_id: str) -> Iterator[Dict[str, Any]]:
        """Each state of a job as it changes (``watchJob``), from the current one to the last,
        after which the iteration ends; a stream that ends before is resumed after the last
        event read, as ``EventSource`` would."""
        for event in self.stream(f"/v1/jobs/{quote(job_id, safe='')}/events"):
            yield json.loads(event["data"])
            if event.get("event") == "done":
                return

    def stream(self, url: str, last_event_id: Optional[str] = None) -> Iterator[Dict[str, str]]:
        """The events (``id``, ``event``, ``data``) of the event stream at ``url``, resumed with
        ``Last-Event-ID`` after the last one read each time a stream ends, until a 204 says
        there is nothing more or the caller stops iterating."""
        last = last_event_id
        failures = 0
        while True:
            headers = {"Accept": "text/event-stream"}
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            if self.base_id:
                headers["X-Base-Id"] = self.base_id
            if last is not None:
                headers["Last-Event-ID"] = last
            try:
                with self._http.stream("GET", url, headers=headers) as response:
                    if response.status_code == 204:
                        return
                    if response.status_code != 200:
                        response.read()
                        raise _error(response, response.json() if response.content else None)
                    failures = 0
                    for event in _events(response.iter_lines()):
                        last = event.get("id", last)
                        yield event
            except httpx.TransportError:
                failures += 1
                if failures > self.retries:
                    raise
            time.sleep(1.0)

    def _wait(self, attempt: int, retry_after: Optional[str]) -> None:
        try:
            seconds = float(retry_after) if retry_after is not None else 0.0
        except ValueError:
            seconds = 0.0
        if seconds <= 0:
            seconds = 0.25 * 2**attempt
        time.sleep(min(self.max_retry_delay, seconds))


class Records:
    """The records API of the token's base."""

    def __init__(self, client: Client):
        self._client = client

    @staticmethod
    def _path(table: str, rest: str = "") -> str:
        return f"/v1/tables/{quote(table, safe='')}/records{rest}"

    def _one(self, table: str, id: str) -> str:
        return self._path(table, "/" + quote(id, safe=""))

    def _versioned(self, answer: tuple) -> Dict[str, Any]:
        data, response = answer
        return {**data, "etag": response.headers.get("etag")}

    def list(
        self,
        table: str,
        filter: Optional[Filter] = None,
        where: Any = None,
        sort: Union[str, Sequence[str], None] = None,
        fields: Optional[Sequence[str]] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        include: Optional[Sequence[str]] = None,
    ) -> Dict[str, Any]:
        """One page: ``{"data": [...], "has_more": bool, "next_cursor": str | None, "position": str}``;
        ``include`` embeds relations under each record's ``included``; ``position`` is where
        ``events`` or ``poll`` pick up after the page."""
        query = records_query(filter, where, sort, fields, limit, cursor, include)
        return self._client.request("GET", self._path(table) + (f"?{query}" if query else ""))[0]

    def iterate(
        self,
        table: str,
        filter: Optional[Filter] = None,
        where: Any = None,
        sort: Union[str, Sequence[str], None] = None,
        fields: Optional[Sequence[str]] = None,
        limit: Optional[int] = None,
        include: Optional[Sequence[str]] = None,
    ) -> Iterator[Dict[str, Any]]:
        """Every record of every page, following ``next_cursor`` until ``has_more`` is false."""
        cursor = None
        while True:
            page = self.list(table, filter, where, sort, fields, limit, cursor, include)
            yield from page["data"]
            if not page.get("has_more") or not page.get("next_cursor"):
                return
            cursor = page["next_cursor"]

    def get(
        self, table: str, id: str, fields: Optional[Sequence[str]] = None, include: Optional[Sequence[str]] = None
    ) -> Dict[str, Any]:
        """The record, with ``etag`` (its version) for ``update`` and ``delete``."""
        query = records_query(fields=fields, include=include)
        return self._versioned(self._client.request("GET", self._one(table, id) + (f"?{query}" if query else "")))

    def validate(self, table: str, values: Mapping[str, Any]) -> Dict[str, Any]:
        """What creating the record would answer, without writing it: ``{"valid": True}``, or the 422."""
        return self._client.request("POST", self._path(table) + ":validate", {"values": dict(values)})[0]

    def create(self, table: str, values: Mapping[str, Any], id: Optional[str] = None) -> Dict[str, Any]:
        body: Dict[str, Any] = {"values": dict(values)}
        if id is not None:
            body["id"] = id
        return self._versioned(self._client.request("POST", self._path(table), body))

    def update(
        self, table: str, id: str, values: Mapping[str, Any], if_match: Optional[str] = None
    ) -> Dict[str, Any]:
        """With ``if_match`` (a record's ``etag``), refused with 412 if the record changed since."""
        headers = {"If-Match": if_match} if if_match else None
        return self._versioned(self._client.request("PATCH", self._one(table, id), {"values": dict(values)}, headers))

    def delete(self, table: str, id: str, if_match: Optional[str] = None) -> Any:
        headers = {"If-Match": if_match} if if_match else None
        return self._client.request("DELETE", self._one(table, id), None, headers)[0]

    def batch_upsert(
        self, table: str, items: Sequence[Mapping[str, Any]], unique: Optional[str] = None
    ) -> Dict[str, Any]:
        query = "?" + urlencode({"unique": unique}) if unique else ""
        return self._client.request("POST", self._path(table, ":batchUpsert") + query, {"items": list(items)})[0]

    def batch_delete(self, table: str, ids: Sequence[str]) -> Any:
        return self._client.request("POST", self._path(table, ":batchDelete"), {"ids": list(ids)})[0]

    def events(
        self,
        table: str,
        filter: Optional[Filter] = None,
        where: Any = None,
        fields: Optional[Sequence[str]] = None,
        last_event_id: Optional[str] = None,
    ) -> Iterator[Dict[str, Any]]:
        """Each change of the table the filters select, as it commits (``watchRecords``):
        ``{type, table, id, changed_fields, record, position}``, ``position`` being where to
        resume (``last_event_id``), as a list page's ``position`` is where to start after
        that page. It goes on until the caller stops iterating."""
        query = records_query(filter, where, fields=fields)
        url = f"/v1/tables/{quote(table, safe='')}/events" + (f"?{query}" if query else "")
        for event in self._client.stream(url, last_event_id):
            yield {**json.loads(event["data"]), "position": event.get("id")}

    def poll(
        self,
        table: str,
        after: Optional[str] = None,
        wait: Optional[int] = None,
        filter: Optional[Filter] = None,
        where: Any = None,
        fields: Optional[Sequence[str]] = None,
    ) -> Dict[str, Any]:
        """The long-poll form of ``events`` (``pollRecords``), for clients that cannot hold a
        stream: ``{data: [{position, type, table, id, changed_fields, record}], position}``,
        the changes after ``after`` (a list's ``position``, or the previous answer's) as soon
        as there are some, or none after ``wait`` seconds (20 unless set, at most 20). Poll
        again from the answer's ``position`` to get every change once."""
        query = records_query(filter, where, fields=fields)
        extra = urlencode({key: value for key, value in (("after", after), ("wait", wait)) if value is not None})
        query = "&".join(part for part in (query, extra) if part)
        path = f"/v1/tables/{quote(table, safe='')}/events:poll"
        return self._client.request("GET", path + (f"?{query}" if query else ""))[0]

    def export_csv(
        self,
        table: str,
        filter: Optional[Filter] = None,
        where: Any = None,
        sort: Union[str, Sequence[str], None] = None,
        fields: Optional[Sequence[str]] = None,
    ) -> Dict[str, Any]:
        """Starts a CSV export of every record the list would return (no paging): the job, whose
        ``result["download_url"]`` ``call("getJob", ...)`` gives once it has succeeded."""
        query = records_query(filter, where, sort, fields)
        path = f"/v1/tables/{quote(table, safe='')}/export:csv"
        return self._client.request("GET", path + (f"?{query}" if query else ""))[0]


def _events(lines: Iterator[str]) -> Iterator[Dict[str, str]]:
    """The events of a ``text/event-stream`` body, line by line (comments and ``retry:`` skipped)."""
    event: Dict[str, str] = {}
    data: List[str] = []
    for line in lines:
        if line == "":
            if data:
                yield {**event, "data": "\n".join(data)}
            event, data = {}, []
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field in ("id", "event"):
            event[field] = value
        elif field == "data":
            data.append(value)


def _error(response: httpx.Response, data: Any) -> ApiError:
    error = data.get("error", {}) if isinstance(data, dict) else {}
    request_id = (data.get("request_id") if isinstance(data, dict) else None) or response.headers.get("x-request-id")
    return ApiError(
        response.status_code,
        error.get("code", "UNKNOWN"),
        error.get("message", f"HTTP {response.status_code}"),
        request_id,
        error.get("details", {}),
    )
