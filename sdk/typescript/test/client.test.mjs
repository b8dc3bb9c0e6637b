// The SDK against the live stack (`cargo xtask test` sets SDK_EDGE_URL and SDK_FIXTURE).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ApiError, createClient } from "../dist/index.js";

const baseUrl = process.env.SDK_EDGE_URL;
const fixture = JSON.parse(readFileSync(process.env.SDK_FIXTURE, "utf8"));
const unique = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

test("records: create, read, update with If-Match, page through, delete", async () => {
  const client = createClient({ baseUrl, token: fixture.token_rw });
  const name = unique("sdk");
  const created = await client.records.create({
    table: "customers",
    values: { name, email: `${name}@example.org`, status: "trial", amount: 5 },
  });
  assert.equal(created.values.name, name);
  assert.match(created.etag ?? "", /^"?W?\/?"?.+/);
  const read = await client.records.get({ table: "customers", id: created.id, fields: ["name"] });
  assert.deepEqual(Object.keys(read.values), ["name"]);
  const updated = await client.records.update({
    table: "customers", id: created.id, values: { amount: 6 }, ifMatch: created.etag,
  });
  assert.equal(updated.values.amount, 6);
  // The version it was read at is gone: the server refuses with 412 and says so.
  await assert.rejects(
    client.records.update({ table: "customers", id: created.id, values: { amount: 7 }, ifMatch: created.etag }),
    (error) => error instanceof ApiError && error.status === 412 && error.code === "PRECONDITION_FAILED",
  );
  // One page, then every record of every page, in order and without repeats.
  const filter = { name: { eq: name } };
  const page = await client.records.list({ table: "customers", filter, limit: 1 });
  assert.equal(page.data.length, 1);
  const seen = [];
  for await (const record of client.records.list({ table: "customers", sort: ["created_at", "id"], limit: 50 })) {
    seen.push(record.id);
    if (seen.length >= 120) break;
  }
  assert.equal(new Set(seen).size, seen.length, "no record twice across pages");
  assert.ok(seen.length > 50, `iteration follows next_cursor past the first page (${seen.length})`);
  await client.records.delete({ table: "customers", id: created.id, ifMatch: updated.etag });
  await assert.rejects(client.records.get({ table: "customers", id: created.id }), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, "RECORD_NOT_FOUND");
    assert.match(error.requestId ?? "", /^req_/);
    return true;
  });
});

test("relations: include the linked record and the reverse side, filter across the link", async () => {
  const client = createClient({ baseUrl, token: fixture.token_rw });
  const page = await client.records.list({ table: "orders", include: ["customer"], limit: 2 });
  const [order] = page.data;
  assert.equal(order.included.customer.id, order.values.customer);
  const customer = await client.records.get({ table: "customers", id: order.values.customer, include: ["orders.customer"] });
  assert.deepEqual(customer.included["orders.customer"].data.map((o) => o.id), [order.id]);
  const byName = await client.records.list({
    table: "orders",
    filter: { "customer.name": { eq: order.included.customer.values.name } },
  });
  assert.deepEqual(byName.data.map((o) => o.id), [order.id]);
});

test("validate answers what a create would, without writing", async () => {
  const client = createClient({ baseUrl, token: fixture.token_rw });
  assert.deepEqual(await client.records.validate({ table: "customers", values: { name: "Ok" } }), { valid: true });
  await assert.rejects(client.records.validate({ table: "customers", values: { amount: "lots" } }), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, "VALIDATION_ERROR");
    assert.deepEqual(error.details.errors.map((e) => e.field).sort(), ["amount", "name"]);
    return true;
  });
});

test("batch upsert by a unique field, then batch delete", async () => {
  const client = createClient({ baseUrl, token: fixture.token_rw });
  const emails = [unique("a"), unique("b")].map((name) => `${name}@example.org`);
  const items = emails.map((email, i) => ({ values: { name: `Batch ${i}`, email, status: "active" } }));
  const written = await client.records.batchUpsert({ table: "customers", items, unique: "email" });
  assert.equal(written.upserted, 2);
  const again = await client.records.batchUpsert({ table: "customers", items, unique: "email" });
  assert.deepEqual(again.ids, written.ids, "the same emails update the same records");
  await client.records.batchDelete({ table: "customers", ids: written.ids });
  const left = await client.records.list({ table: "customers", filter: { email: { in: emails } } });
  assert.equal(left.data.length, 0);
});

test("the management API by operationId, typed errors on refusal", async () => {
  const anonymous = createClient({ baseUrl });
  const email = `${unique("sdk")}@example.org`;
  const password = "a long enough password";
  await anonymous.call("register", { body: { email, password, name: "SDK" } });
  const session = await anonymous.call("login", { body: { email, password } });
  const user = createClient({ baseUrl, token: session.access_token });
  const me = await user.call("me");
  assert.equal(me.email, email);
  const workspace = me.workspaces[0].id;
  const base = await user.call("createBase", { path: { workspaceId: workspace }, body: { name: "From the SDK" } });
  await user.call("createTable", {
    path: { baseId: base.id },
    body: { name: "notes", fields: [{ name: "body", type: "text" }] },
  });
  const token = await user.call("createToken", {
    path: { baseId: base.id },
    body: { name: "sdk", scopes: ["read", "write"] },
  });
  const records = createClient({ baseUrl, token: token.token });
  const note = await records.records.create({ table: "notes", values: { body: "hello" } });
  assert.equal(note.values.body, "hello");
  await assert.rejects(
    user.call("getBase", { path: { baseId: "00000000-0000-0000-0000-000000000000" } }),
    (error) => error instanceof ApiError && error.status === 404 && error.code === "NOT_FOUND",
  );
  await assert.rejects(
    anonymous.call("login", { body: { email, password: "not the password" } }),
    (error) => error instanceof ApiError && error.code === "INVALID_CREDENTIALS" && error.requestId !== undefined,
  );
});

test("writes carry an idempotency key, reused when a 503 is retried", async () => {
  const keys = [];
  let calls = 0;
  const flaky = async (request) => {
    keys.push(request.headers.get("x-idempotency-key"));
    calls += 1;
    if (calls === 1) return new Response("{}", { status: 503, headers: { "retry-after": "0" } });
    return fetch(request);
  };
  const client = createClient({ baseUrl, token: fixture.token_rw, fetch: flaky });
  const name = unique("retry");
  const created = await client.records.create({ table: "customers", values: { name, email: `${name}@example.org` } });
  assert.equal(created.values.name, name);
  assert.equal(calls, 2);
  assert.ok(keys[0], "a write carries X-Idempotency-Key");
  assert.equal(keys[0], keys[1], "the retry sends the same key");
});

test("a job's progress as events, to its last state", async () => {
  const client = createClient({ baseUrl, token: fixture.token_rw });
  const name = unique("events");
  const started = await client.call("importCsv", {
    path: { tableId: "customers" },
    body: { csv: `name,email\n${name},${name}@example.org\n` },
  });
  const states = [];
  for await (const job of client.jobEvents(started.id)) states.push(job);
  assert.ok(states.length >= 1);
  const last = states.at(-1);
  assert.equal(last.id, started.id);
  assert.equal(last.state, "succeeded");
  assert.equal(last.progress.rows_written, 1);
  assert.ok(states.slice(0, -1).every((job) => ["queued", "running"].includes(job.state)));
  await assert.rejects(
    (async () => {
      for await (const _ of client.jobEvents("00000000-0000-0000-0000-000000000000"));
    })(),
    (error) => error instanceof ApiError && error.status === 404 && error.code === "NOT_FOUND",
  );
});

test("a table's changes as events, each once, resumed from a position", async () => {
  const client = createClient({ baseUrl, token: fixture.token_rw });
  const name = unique("live");
  const list = { table: "customers", filter: { name: { eq: name } }, fields: ["name"] };
  const create = async () =>
    (await client.records.create({ table: "customers", values: { name, email: `${unique("e")}@example.org` } })).id;
  const opened = new AbortController();
  const changes = client.records.events(list, { signal: opened.signal });
  // The stream opens with the first read: write until a write comes after it.
  const created = [];
  const pending = changes.next();
  let first;
  while (first === undefined) {
    created.push(await create());
    first = await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
  const event = first.value;
  assert.equal(event.type, "record.created");
  assert.deepEqual(event.record.values, { name });
  assert.deepEqual(event.changed_fields, ["name"]);
  opened.abort();
  const after = created.indexOf(event.id);
  assert.ok(after >= 0);
  const last = await create();
  const resumed = new AbortController();
  const seen = [];
  for await (const change of client.records.events(list, { signal: resumed.signal, lastEventId: event.position })) {
    seen.push(change.id);
    if (change.id === last) break;
  }
  assert.deepEqual(seen, [...created.slice(after + 1), last], "every later change, once, in order");
});

test("a long poll from a list's position gets each later change once", async () => {
  const client = createClient({ baseUrl, token: fixture.token_rw });
  const name = unique("polled");
  const selection = { table: "customers", filter: { name: { eq: name } }, fields: ["name"] };
  const page = await client.records.list(selection);
  assert.deepEqual(page.data, []);
  const empty = await client.records.poll({ ...selection, after: page.position, wait: 0 });
  assert.deepEqual(empty.data, []);
  const ids = [];
  for (let n = 0; n < 2; n++) {
    ids.push((await client.records.create({ table: "customers", values: { name, email: `${unique("e")}@example.org` } })).id);
  }
  let answer = await client.records.poll({ ...selection, after: empty.position });
  const seen = answer.data.map((change) => change.id);
  while (seen.length < 2) {
    answer = await client.records.poll({ ...selection, after: answer.position });
    seen.push(...answer.data.map((change) => change.id));
  }
  assert.deepEqual(seen, ids);
  assert.deepEqual((await client.records.poll({ ...selection, after: answer.position, wait: 0 })).data, []);
});
