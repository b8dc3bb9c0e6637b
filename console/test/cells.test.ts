import { describe, expect, it } from "vitest";
import { cellOf, valueOf } from "../src/cells";

describe("cells", () => {
  it("shows each type in its cell kind", () => {
    expect(cellOf("number", 12.5)).toEqual({ kind: "number", data: 12.5, editable: true });
    expect(cellOf("number", null)).toEqual({ kind: "number", data: undefined, editable: true });
    expect(cellOf("boolean", true)).toEqual({ kind: "boolean", data: true, editable: true });
    expect(cellOf("json", { a: [1] })).toEqual({ kind: "text", data: '{"a":[1]}', editable: true });
    expect(cellOf("multi_select", ["red", "blue"])).toEqual({ kind: "text", data: "red, blue", editable: true });
    expect(cellOf("text", null)).toEqual({ kind: "text", data: "", editable: true });
  });

  it("turns an edit into the value the API takes", () => {
    expect(valueOf("text", { kind: "text", data: "Ada", editable: true })).toBe("Ada");
    expect(valueOf("text", { kind: "text", data: "  ", editable: true })).toBeNull();
    expect(valueOf("number", { kind: "number", data: 3, editable: true })).toBe(3);
    expect(valueOf("number", { kind: "number", data: undefined, editable: true })).toBeNull();
    expect(valueOf("multi_select", { kind: "text", data: "red, ,blue", editable: true })).toEqual(["red", "blue"]);
    expect(valueOf("json", { kind: "text", data: '{"x":1}', editable: true })).toEqual({ x: 1 });
    expect(() => valueOf("json", { kind: "text", data: "{", editable: true })).toThrow();
  });

  it("round-trips what it shows", () => {
    for (const [type, value] of [["text", "x"], ["number", 7], ["boolean", false], ["json", [1, 2]]] as const) {
      expect(valueOf(type, cellOf(type, value))).toEqual(value);
    }
  });
});
