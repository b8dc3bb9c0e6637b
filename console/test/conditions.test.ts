import { expect, it } from "vitest";
import {
  choiceOf, conditionText, fieldListOf, operatorChoices, rowsOf, ruleText, tickedOf, whereOf, withChoice, type ConditionRow,
} from "../src/conditions";

const types = { status: "text", total: "number", paid: "boolean", owner: "email" } as const;

it("turns builder rows into a where condition, values typed by their field", () => {
  expect(whereOf([], types)).toBeUndefined();
  expect(whereOf([{ field: "status", op: "eq", value: "paid" }], types)).toEqual({ field: "status", op: "eq", value: "paid" });
  expect(
    whereOf(
      [
        { field: "total", op: "between", value: "10, 20" },
        { field: "status", op: "in", value: "open,paid" },
        { field: "paid", op: "eq", value: "true" },
        { field: "owner", op: "is_null", value: "false" },
        { field: "owner", op: "eq", value: "", variable: "user.email" },
        { field: "total", op: "gt", value: "x" },
      ],
      types,
    ),
  ).toEqual({
    and: [
      { field: "total", op: "between", value: [10, 20] },
      { field: "status", op: "in", value: ["open", "paid"] },
      { field: "paid", op: "eq", value: true },
      { field: "owner", op: "is_null", value: false },
      { field: "owner", op: "eq", value: { var: "user.email" } },
      { field: "total", op: "gt", value: "x" },
    ],
  });
});

it("reads a where condition back into builder rows, or says it cannot", () => {
  const rows: ConditionRow[] = [
    { field: "total", op: "between", value: "10,20" },
    { field: "owner", op: "eq", value: "", variable: "user.email" },
    { field: "owner", op: "is_null", value: "true" },
  ];
  expect(rowsOf(whereOf(rows, types))).toEqual(rows);
  expect(rowsOf(undefined)).toEqual([]);
  expect(rowsOf({ or: [{ field: "status", op: "eq", value: "a" }] })).toBeNull();
  expect(rowsOf({ and: [{ not: { field: "status", op: "eq", value: "a" } }] })).toBeNull();
});

it("offers is_null as empty and not empty, and keeps what a new operator can use", () => {
  expect(operatorChoices(["eq", "is_null"])).toEqual([
    { value: "eq", label: "=" },
    { value: "is_null:true", label: "is empty" },
    { value: "is_null:false", label: "is not empty" },
  ]);
  const row: ConditionRow = { field: "owner", op: "eq", value: "", variable: "user.email" };
  expect(choiceOf({ field: "owner", op: "is_null", value: "false" })).toBe("is_null:false");
  expect(withChoice(row, "ne")).toEqual({ ...row, op: "ne" });
  expect(withChoice(row, "contains")).toEqual({ field: "owner", op: "contains", value: "" });
  expect(withChoice(row, "is_null:false")).toEqual({ field: "owner", op: "is_null", value: "false" });
  expect(withChoice({ field: "owner", op: "is_null", value: "false" }, "eq")).toEqual({ field: "owner", op: "eq", value: "" });
});

it("sums up rules as sentences", () => {
  expect(
    ruleText({
      name: "paid_needs_invoice",
      if: { field: "status", op: "eq", value: "paid" },
      then: { field: "invoice", op: "is_null", value: false },
      message: "",
    }),
  ).toBe('if status = "paid", then invoice is not empty');
  expect(conditionText({ or: [{ field: "a", op: "gt", value: 1 }, { and: [{ field: "b", op: "between", value: [1, 2] }, { not: { field: "c", op: "eq", value: { var: "user.id" } } }] }] }))
    .toBe("a > 1 or (b is between 1 and 2 and not (c = the caller's user.id))");
});

it("keeps no field list when every field is ticked", () => {
  expect(fieldListOf(["a", "b"], ["a", "b"])).toBeNull();
  expect(fieldListOf(["b"], ["a", "b"])).toEqual(["b"]);
  expect(tickedOf(null, ["a", "b"])).toEqual(["a", "b"]);
  expect(tickedOf(["a"], ["a", "b"])).toEqual(["a"]);
});
