import { expect, it } from "vitest";
import { Rows, type Page } from "../src/rows";

/** 25 rows served 10 at a time, with the cursors a server would give. */
function server(calls: Array<string | undefined>) {
  return async (cursor: string | undefined): Promise<Page<number>> => {
    calls.push(cursor);
    const start = cursor ? Number(cursor) : 0;
    const data = Array.from({ length: Math.min(10, 25 - start) }, (_, i) => start + i);
    const end = start + data.length;
    return { data, next_cursor: end < 25 ? String(end) : null, has_more: end < 25, position: `p${start}` };
  };
}

it("fetches pages in order, as far as asked", async () => {
  const calls: Array<string | undefined> = [];
  const rows = new Rows(server(calls));
  await rows.ensure(15);
  expect(rows.rows).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect(calls).toEqual([undefined, "10"]);
  expect(rows.complete).toBe(false);
  await rows.ensure(1000);
  expect(rows.rows.length).toBe(25);
  expect(rows.complete).toBe(true);
  expect(calls).toEqual([undefined, "10", "20"]);
  // Changes are followed from where the first page was read.
  expect(rows.position).toBe("p0");
});

it("asks once when asked twice at the same time", async () => {
  const calls: Array<string | undefined> = [];
  const rows = new Rows(server(calls));
  await Promise.all([rows.ensure(5), rows.ensure(5)]);
  expect(calls).toEqual([undefined]);
  expect(rows.rows.length).toBe(10);
});
