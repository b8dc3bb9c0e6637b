import { expect, it } from "vitest";
import { listQuery, moved, shifted, shownColumns } from "../src/gridQuery";

it("turns the filter builder and the sort into a list request", () => {
  expect(listQuery([], [])).toEqual({ filter: undefined, sort: undefined });
  expect(
    listQuery(
      [
        { field: "total", op: "gt", value: "10" },
        { field: "total", op: "gt", value: "99" },
        { field: "status", op: "in", value: "open,paid" },
        { field: "note", op: "is_null", value: "" },
        { field: "name", op: "eq", value: "" },
      ],
      [{ field: "total", descending: true }, { field: "name", descending: false }],
    ),
  ).toEqual({
    filter: { total: { gt: "10" }, status: { in: "open,paid" }, note: { is_null: "true" } },
    sort: ["total.desc", "name"],
  });
});

it("keeps the chosen order and hidden columns as the table changes", () => {
  const all = ["a", "b", "c"];
  expect(shownColumns(all, [], [])).toEqual(["a", "b", "c"]);
  expect(shownColumns(all, ["c", "gone", "a"], ["a"])).toEqual(["c", "b"]);
  expect(moved(all, [], ["b"], 1, 0)).toEqual(["c", "a", "b"]);
  expect(shownColumns(all, moved(all, [], ["b"], 1, 0), ["b"])).toEqual(["c", "a"]);
});

it("moves a column left or right among all of them, hidden ones included", () => {
  const all = ["a", "b", "c"];
  expect(shifted(all, [], "c", -1)).toEqual(["a", "c", "b"]);
  expect(shifted(all, ["c", "a", "b"], "c", -1)).toEqual(["c", "a", "b"]);
  expect(shifted(all, ["c", "a", "b"], "b", 1)).toEqual(["c", "a", "b"]);
  expect(shifted(all, [], "gone", 1)).toEqual(["a", "b", "c"]);
});
