"""The SDK against the live stack (``cargo xtask test`` sets SDK_EDGE_URL and SDK_FIXTURE)."""

import json
import os
import threading
import uuid

import httpx
import pytest

from nclcdbaas import ApiError, Client
from nclcdbaas._api.api.bases import list_bases

BASE_URL = os.environ["SDK_EDGE_URL"]
with open(os.environ["SDK_FIXTURE"]) as fixture_file:
    FIXTURE = json.load(fixture_file)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_records_round_trip_with_versions_and_paging():
    with Client(BASE_URL, token=FIXTURE["token_rw"]) as client:
        name = unique("py")
        created = client.records.create("customers", {"name": name, "email": f"{name}@example.org", "amount": 5})
        assert created["values"]["name"] == name
        assert created["etag"]
        read = client.records.get("customers", created["id"], fields=["name"])
        assert list(read["values"]) == ["name"]
        updated = client.records.update("customers", created["id"], {"amount": 6}, if_match=created["etag"])
        assert updated["values"]["amount"] == 6
        with pytest.raises(ApiError) as refused:
            client.records.update("customers", created["id"], {"amount": 7}, if_match=created["etag"])
        assert (refused.value.status, refused.value.code) == (412, "PRECONDITION_FAILED")
        page = client.records.list("customers", filter={"name": {"eq": name}}, limit=1)
        assert [record["id"] for record in page["data"]] == [created["id"]]
        seen = []
        for record in client.records.iterate("customers", sort=["created_at", "id"], limit=50):
            seen.append(record["id"])
            if len(seen) >= 120:
                break
        assert len(set(seen)) == len(seen) > 50, "iteration follows next_cursor, without repeats"
        client.records.delete("customers", created["id"], if_match=updated["etag"])
        with pytest.raises(ApiError) as missing:
            client.records.get("customers", created["id"])
        assert missing.value.code == "RECORD_NOT_FOUND"
        assert missing.value.request_id.startswith("req_")


def test_relations_are_included_and_filtered_across():
    with Client(BASE_URL, token=FIXTURE["token_rw"]) as client:
        order = client.records.list("orders", include=["customer"], limit=1)["data"][0]
        assert order["included"]["customer"]["id"] == order["values"]["customer"]
        customer = client.records.get("customers", order["values"]["customer"], include=["orders.customer"])
        assert [o["id"] for o in customer["included"]["orders.customer"]["data"]] == [order["id"]]
        name = order["included"]["customer"]["values"]["name"]
        by_name = client.records.list("orders", filter={"customer.name": {"eq": name}})
        assert [o["id"] for o in by_name["data"]] == [order["id"]]


def test_validate_answers_without_writing():
    with Client(BASE_URL, token=FIXTURE["token_rw"]) as client:
        assert client.records.validate("customers", {"name": "Ok"}) == {"valid": True}
        with pytest.raises(ApiError) as refused:
            client.records.validate("customers", {"amount": "lots"})
        assert refused.value.code == "VALIDATION_ERROR"
        assert sorted(e["field"] for e in refused.value.details["errors"]) == ["amount", "name"]


def test_batch_upsert_by_unique_field_then_batch_delete():
    with Client(BASE_URL, token=FIXTURE["token_rw"]) as client:
        emails = [f"{unique(letter)}@example.org" for letter in "ab"]
        items = [{"values": {"name": f"Batch {i}", "email": email}} for i, email in enumerate(emails)]
        written = client.records.batch_upsert("customers", items, unique="email")
        assert written["upserted"] == 2
        again = client.records.batch_upsert("customers", items, unique="email")
        assert again["ids"] == written["ids"], "the same emails update the same records"
        client.records.batch_delete("customers", written["ids"])
        assert client.records.list("customers", filter={"email": {"in": emails}})["data"] == []


def test_management_by_operation_id_and_the_generated_client():
    email = f"{unique('py')}@example.org"
    password = "a long enough password"
    with Client(BASE_URL) as anonymous:
        anonymous.call("register", body={"email": email, "password": password, "name": "Py"})
        session = anonymous.call("login", body={"email": email, "password": password})
        with pytest.raises(ApiError) as refused:
            anonymous.call("login", body={"email": email, "password": "not the password"})
        assert refused.value.code == "INVALID_CREDENTIALS"
    with Client(BASE_URL, token=session["access_token"]) as user:
        workspace = user.call("me")["workspaces"][0]["id"]
        base = user.call("createBase", path={"workspaceId": workspace}, body={"name": "From Python"})
        user.call("createTable", path={"baseId": base["id"]}, body={"name": "notes", "fields": [{"name": "body", "type": "text"}]})
        token = user.call("createToken", path={"baseId": base["id"]}, body={"name": "py", "scopes": ["read", "write"]})
        with pytest.raises(ApiError) as unknown:
            user.call("getBase", path={"baseId": str(uuid.UUID(int=0))})
        assert (unknown.value.status, unknown.value.code) == (404, "NOT_FOUND")
        # The generated layer, typed models included.
        listed = list_bases.sync(workspace_id=workspace, client=user.api)
        assert base["id"] in [str(item.id) for item in listed.data]
    with Client(BASE_URL, token=token["token"]) as records:
        assert records.records.create("notes", {"body": "hello"})["values"]["body"] == "hello"


def test_a_retried_write_keeps_its_idempotency_key():
    keys = []
    real = httpx.HTTPTransport()

    class FlakyOnce(httpx.BaseTransport):
        def handle_request(self, request):
            keys.append(request.headers.get("x-idempotency-key"))
            if len(keys) == 1:
                return httpx.Response(503, headers={"retry-after": "0"}, json={})
            return real.handle_request(request)

    with Client(BASE_URL, token=FIXTURE["token_rw"], transport=FlakyOnce()) as client:
        name = unique("retry")
        created = client.records.create("customers", {"name": name, "email": f"{name}@example.org"})
        assert created["values"]["name"] == name
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]


def test_a_jobs_progress_as_events_to_its_last_state():
    with Client(BASE_URL, token=FIXTURE["token_rw"]) as client:
        name = unique("events")
        csv = f"name,email\n{name},{name}@example.org\n"
        started = client.call("importCsv", path={"tableId": "customers"}, body={"csv": csv})
        states = list(client.job_events(started["id"]))
        assert states[-1]["id"] == started["id"]
        assert states[-1]["state"] == "succeeded"
        assert states[-1]["progress"]["rows_written"] == 1
        assert all(job["state"] in ("queued", "running") for job in states[:-1])
        with pytest.raises(ApiError) as refused:
            list(client.job_events(str(uuid.uuid4())))
        assert refused.value.status == 404 and refused.value.code == "NOT_FOUND"


def test_a_tables_changes_from_a_position_each_once_in_order():
    with Client(BASE_URL, token=FIXTURE["token_rw"]) as client:
        name = unique("live")
        created: list = []

        def create() -> str:
            values = {"name": name, "email": f"{unique('e')}@example.org"}
            created.append(client.records.create("customers", values)["id"])
            return created[-1]

        # The stream opens with the first read: a writer writes until a write comes after it.
        opened = threading.Event()

        def writer() -> None:
            with Client(BASE_URL, token=FIXTURE["token_rw"]) as other:
                while not opened.wait(1.0):
                    values = {"name": name, "email": f"{unique('e')}@example.org"}
                    created.append(other.records.create("customers", values)["id"])

        thread = threading.Thread(target=writer)
        thread.start()
        changes = client.records.events("customers", filter={"name": {"eq": name}}, fields=["name"])
        event = next(changes)
        opened.set()
        thread.join()
        changes.close()
        assert event["type"] == "record.created" and event["id"] in created
        assert event["record"]["values"] == {"name": name} and event["changed_fields"] == ["name"]
        after = created[created.index(event["id"]) + 1 :]
        last = create()
        seen = []
        for change in client.records.events("customers", filter={"name": {"eq": name}}, last_event_id=event["position"]):
            seen.append(change["id"])
            if change["id"] == last:
                break
        assert seen == after + [last], "every later change, once, in order"


def test_a_long_poll_from_a_lists_position_gets_each_later_change_once():
    with Client(BASE_URL, token=FIXTURE["token_rw"]) as client:
        name = unique("polled")
        selection = {"filter": {"name": {"eq": name}}, "fields": ["name"]}
        page = client.records.list("customers", **selection)
        assert page["data"] == [] and page["position"]
        empty = client.records.poll("customers", after=page["position"], wait=0, **selection)
        assert empty["data"] == []
        ids = [client.records.create("customers", {"name": name, "email": f"{unique('e')}@example.org"})["id"]
               for _ in range(2)]
        answer = client.records.poll("customers", after=empty["position"], **selection)
        seen = [change["id"] for change in answer["data"]]
        while len(seen) < 2:
            answer = client.records.poll("customers", after=answer["position"], **selection)
            seen += [change["id"] for change in answer["data"]]
        assert seen == ids
        assert all(change["type"] == "record.created" and change["record"]["values"] == {"name": name}
                   for change in answer["data"])
        assert client.records.poll("customers", after=answer["position"], wait=0, **selection)["data"] == []
