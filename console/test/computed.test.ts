import { describe, expect, it } from "vitest";
import { cellOf } from "../src/cells";
import { completions, wordAt } from "../src/Computed";

describe("the formula editor", () => {
  it("finds the word being typed", () => {
    expect(wordAt("price * qu", 10)).toEqual({ word: "qu", start: 8 });
    expect(wordAt("round(", 6)).toEqual({ word: "", start: 6 });
    expect(wordAt("upper(la) & x", 8)).toEqual({ word: "la", start: 6 });
  });

  it("completes fields and functions, functions with their parenthesis", () => {
    const fields = ["price", "paid", "quantity"];
    const functions = ["if", "upper", "date_add", "date_diff"];
    expect(completions("p", fields, functions)).toEqual(["price", "paid"]);
    expect(completions("DATE", fields, functions)).toEqual(["date_add(", "date_diff("]);
    expect(completions("price", fields, functions)).toEqual([]);
    expect(completions("", fields, functions)).toEqual([]);
  });
});

describe("computed cells", () => {
  it("are shown but never edited", () => {
    expect(cellOf({ type: "number", computed: { kind: "formula" } }, 42)).toEqual({ kind: "number", data: 42, editable: false });
    expect(cellOf({ type: "number" }, 42).editable).toBe(true);
  });
});
