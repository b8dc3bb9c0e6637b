import { describe, expect, it } from "vitest";
import { cellOf, momentInput, momentOf, pasted, pickedText, valueOf, type Cell } from "../src/cells";

const of = (type: Parameters<typeof cellOf>[0]["type"], options: string[] | null = null) => ({ type, options });
type Picked = Extract<Cell, { kind: "picked" }>;

describe("cells", () => {
  it("shows each type in its cell kind", () => {
    expect(cellOf(of("number"), 12.5)).toEqual({ kind: "number", data: 12.5, editable: true });
    expect(cellOf(of("number"), null)).toEqual({ kind: "number", data: undefined, editable: true });
    expect(cellOf(of("boolean"), true)).toEqual({ kind: "boolean", data: true, editable: true });
    expect(cellOf(of("json"), { a: [1] })).toEqual({ kind: "text", data: '{"a":[1]}', editable: true });
    expect(cellOf(of("text"), null)).toEqual({ kind: "text", data: "", editable: true });
    expect(cellOf(of("multi_select", ["red", "blue"]), ["red", "blue"])).toEqual(
      { kind: "picked", type: "multi_select", data: ["red", "blue"], options: ["red", "blue"], editable: true });
    expect(cellOf(of("single_select", ["a"]), null)).toEqual(
      { kind: "picked", type: "single_select", data: null, options: ["a"], editable: true });
    expect(cellOf(of("date"), "2026-03-01")).toMatchObject({ kind: "picked", type: "date", data: "2026-03-01", options: [] });
  });

  it("turns an edit into the value the API takes", () => {
    expect(valueOf("text", { kind: "text", data: "Ada", editable: true })).toBe("Ada");
    expect(valueOf("text", { kind: "text", data: "  ", editable: true })).toBeNull();
    expect(valueOf("number", { kind: "number", data: 3, editable: true })).toBe(3);
    expect(valueOf("number", { kind: "number", data: undefined, editable: true })).toBeNull();
    expect(valueOf("json", { kind: "text", data: '{"x":1}', editable: true })).toEqual({ x: 1 });
    expect(() => valueOf("json", { kind: "text", data: "{", editable: true })).toThrow();
    const colours = cellOf(of("multi_select", ["red", "blue"]), []) as Picked;
    expect(valueOf("multi_select", colours)).toBeNull();
    expect(valueOf("multi_select", { ...colours, data: ["blue"] })).toEqual(["blue"]);
    expect(valueOf("date", { ...colours, type: "date", data: "" })).toBeNull();
  });

  it("round-trips what it shows", () => {
    const cases = [["text", "x"], ["number", 7], ["boolean", false], ["json", [1, 2]], ["date", "2026-01-31"],
      ["multi_select", ["b", "a"]], ["single_select", "a"]] as const;
    for (const [type, value] of cases) {
      expect(valueOf(type, cellOf(of(type, ["a", "b"]), value))).toEqual(value);
    }
  });

  it("takes pasted text only as one of the field's options", () => {
    const status = cellOf(of("single_select", ["open", "done"]), "open") as Picked;
    expect(pasted(status, " done ")?.data).toBe("done");
    expect(pasted(status, "")?.data).toBeNull();
    expect(pasted(status, "closed")).toBeNull();
    const tags = cellOf(of("multi_select", ["x", "y", "z"]), null) as Picked;
    expect(pasted(tags, "z, x")?.data).toEqual(["z", "x"]);
    expect(pasted(tags, "x, w")).toBeNull();
    expect(pickedText({ ...tags, data: ["z", "x"] })).toBe("z, x");
    const day = cellOf(of("date"), null) as Picked;
    expect(pasted(day, "2026-02-30")?.data).toBe("2026-02-30"); // the compiler's check refuses it later
  });

  it("shows a link by the linked record's name, and writes its id", () => {
    const id = "0b9f2c4e-8d1a-4f3b-9c2d-5e6f7a8b9c0d";
    expect(cellOf(of("link"), id, "Ada")).toEqual({ kind: "link", data: id, text: "Ada", editable: true });
    expect(cellOf(of("link"), id)).toEqual({ kind: "link", data: id, text: id, editable: true });
    expect(cellOf(of("link"), id, "")).toMatchObject({ text: id });
    expect(cellOf(of("link"), null, "Ada")).toEqual({ kind: "link", data: null, text: "", editable: true });
    expect(valueOf("link", cellOf(of("link"), id, "Ada"))).toBe(id);
    expect(valueOf("link", cellOf(of("link"), null))).toBeNull();
  });

  it("shows a moment in UTC and reads it back", () => {
    expect(momentInput("2026-03-01T09:30:05+00:00")).toBe("2026-03-01T09:30:05");
    expect(momentInput("2026-03-01T11:30:05+02:00")).toBe("2026-03-01T09:30:05");
    expect(momentInput(null)).toBe("");
    expect(momentOf("2026-03-01T09:30")).toBe("2026-03-01T09:30:00Z");
    expect(momentOf("2026-03-01T09:30:05")).toBe("2026-03-01T09:30:05Z");
    expect(momentOf("")).toBeNull();
  });
});
