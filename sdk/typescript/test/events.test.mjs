// Event streams as the SDK reads them: framing, and resuming after the last event read.

import { test } from "node:test";
import assert from "node:assert/strict";
import { follow, readEvents } from "../dist/index.js";

/** A body that arrives in the given chunks. */
const body = (...chunks) =>
  new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

const collect = async (events) => {
  const all = [];
  for await (const event of events) all.push(event);
  return all;
};

test("frames split anywhere, any line ending, comments and retry skipped", async () => {
  const events = await collect(
    readEvents(body("retry: 1000\n\n: keep-alive\n\nid: 1\nevent: prog", "ress\ndata: {\"a\":1}\r\n\r", "\ndata: one\ndata:two\n\nid: 3\n")),
  );
  assert.deepEqual(events, [
    { id: "1", event: "progress", data: '{"a":1}' },
    { id: undefined, event: "message", data: "one\ntwo" },
  ]);
});

test("a stream that ends is resumed after its last id, until a 204", async () => {
  const asked = [];
  const answers = [
    () => new Response("id: 1\nevent: progress\ndata: {}\n\n", { status: 200 }),
    () => {
      throw new TypeError("connection refused");
    },
    () => new Response("id: 2\nevent: done\ndata: {}\n\n", { status: 200 }),
    () => new Response(null, { status: 204 }),
  ];
  const open = async (last) => {
    asked.push(last);
    return answers.shift()();
  };
  const refused = async (response) => {
    throw new Error(`refused ${response.status}`);
  };
  const events = await collect(follow(open, refused, { retries: 2 }));
  assert.deepEqual(events.map((event) => event.id), ["1", "2"]);
  assert.deepEqual(asked, [undefined, "1", "1", "2"]);
  const refusing = async () => new Response("{}", { status: 404 });
  await assert.rejects(collect(follow(refusing, refused)), /refused 404/);
});
