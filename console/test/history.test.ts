import { expect, it } from "vitest";
import { actorName, changedFields, recordOp } from "../src/history";

const entry = (op: string, before: unknown, after: unknown) => ({
  op, before, after, seq: 1, at: "", actor: "user:u", record_id: "r", request_id: "q", table_id: "t",
});

it("reads what each change did, field by field", () => {
  expect(changedFields(entry("insert", null, { values: { name: "Ada", note: null } }))).toEqual([{ field: "name", after: "Ada" }]);
  expect(changedFields(entry("delete", { values: { name: "Ada", tags: ["a"] } }, null))).toEqual([
    { field: "name", before: "Ada" }, { field: "tags", before: ["a"] },
  ]);
  expect(
    changedFields(entry("update", { values: { name: "Ada", total: 1, note: null } }, { values: { name: "Ada", total: 2, note: "x" } })),
  ).toEqual([{ field: "total", before: 1, after: 2 }, { field: "note", before: null, after: "x" }]);
});

it("names who made a change", () => {
  const names = new Map([["1234567890", "Ada"]]);
  expect(actorName("user:1234567890", names)).toBe("Ada");
  expect(actorName("user:abcdefghij", names)).toBe("a former member (abcdefgh)");
  expect(actorName("token:0123456789", names)).toBe("API token 01234567");
});

it("reads an audit log's record actions as change-log operations", () => {
  expect(["record.create", "record.update", "record.delete", "token.create"].map(recordOp)).toEqual(["insert", "update", "delete", null]);
});
