import type { Schemas } from "@nclcdbaas/sdk";
import { describe, expect, it } from "vitest";
import { buildShare, suggestions } from "../src/Indexes";

const field = (name: string, type: Schemas["FieldType"], extra: Partial<Schemas["FieldInfo"]> = {}): Schemas["FieldInfo"] => ({
  id: name, name, type, required: false, unique: false, options: null, default: null, former_names: [], link: null, rules: {}, ...extra,
});

const table = (indexes: Schemas["IndexInfo"][] = []): Schemas["Table"] => ({
  id: "t", name: "sales", former_names: [], primary_key: "id", system_fields: ["id", "created_at", "updated_at"],
  uniques: ["code"], linked_from: [], rules: [], unique_together: [], policies: [], indexes,
  fields: [
    field("amount", "number"), field("region", "text"), field("code", "text", { unique: true }), field("note", "long_text"),
    field("double", "number", { computed: { kind: "formula", formula: "amount * 2" } }),
  ],
});

const view = (name: string, sort: string[], filters: Schemas["ViewSpec"]["filters"] = []): Schemas["ViewSpec"] =>
  ({ name, table: "sales", fields: ["amount"], sort, filters }) as Schemas["ViewSpec"];

describe("index suggestions", () => {
  it("offer the first sort key, else the first filtered field, of each view", () => {
    const views = [
      view("Top", ["amount:desc"]),
      view("Top again", ["amount:desc"]),
      view("By region", [], [{ field: "region", op: "eq", value: "north" }] as Schemas["ViewSpec"]["filters"]),
    ];
    expect(suggestions(table(), views)).toEqual([
      { fields: ["amount:desc"], why: "view “Top” sorts on amount" },
      { fields: ["region"], why: "view “By region” filters on region" },
    ]);
  });

  it("leave out what an index serves already, and what cannot be indexed", () => {
    const views = [view("A", ["amount"]), view("B", ["code"]), view("C", ["note"]), view("D", ["double"]), view("E", ["created_at"])];
    expect(suggestions(table([{ name: "amount", fields: ["amount"] }]), views)).toEqual([]);
  });
});

describe("a build's progress", () => {
  it("moves through the blocks, then the tuples", () => {
    const build = { phase: "building index: scanning table", blocks_done: 5, blocks_total: 10, tuples_done: 0, tuples_total: 0, lockers_done: 0, lockers_total: 0 };
    expect(buildShare(build)).toBe(0.25);
    expect(buildShare({ ...build, blocks_done: 10, tuples_done: 50, tuples_total: 100 })).toBe(0.75);
    expect(buildShare({ ...build, blocks_total: 0 })).toBe(0);
  });
});
