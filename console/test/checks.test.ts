// The compiler's checks as the console runs them: the Wasm module xtask builds into
// src/compiler, loaded here from its file.
import { readFileSync } from "node:fs";
import { beforeAll, expect, it } from "vitest";
import type { Schemas } from "@nclcdbaas/sdk";
import * as compiled from "../src/compiler/compiler.js";
import { operatorsOf, valueProblem, viewProblem } from "../src/checks";

beforeAll(() => {
  compiled.initSync({ module: readFileSync(new URL("../src/compiler/compiler_bg.wasm", import.meta.url)) });
});

const field = (name: string, type: Schemas["FieldType"], options: string[] | null = null): Schemas["FieldInfo"] => ({
  id: crypto.randomUUID(), name, type, options, required: false, unique: false, default: null, former_names: [], link: null, rules: {},
});

const base: Schemas["Base"] = {
  id: crypto.randomUUID(), name: "Shop", catalog_version: 2, created_at: "", workspace_id: null,
  tables: [{
    id: crypto.randomUUID(), name: "orders", former_names: [], primary_key: "id",
    system_fields: ["id", "created_at", "updated_at"], uniques: [], linked_from: [], rules: [], unique_together: [], policies: [], indexes: [],
    fields: [field("total", "number"), field("status", "single_select", ["open", "paid"])],
  }],
};

it("offers the operators the compiler allows for each type", () => {
  expect(operatorsOf(compiled, "boolean")).toEqual(["eq", "ne", "in", "is_null"]);
  expect(operatorsOf(compiled, "number")).toContain("between");
  expect(operatorsOf(compiled, "number")).not.toContain("starts_with");
  expect(operatorsOf(compiled, "link")).toEqual(["eq", "ne", "in", "is_null"]);
});

it("checks a link's value as a record id", () => {
  const customer = { ...field("customer", "link"), link: { table_id: base.tables[0].id, table: "orders", on_delete: "restrict", display_field_id: null } } satisfies Schemas["FieldInfo"];
  expect(valueProblem(compiled, customer, crypto.randomUUID())).toBeNull();
  expect(valueProblem(compiled, customer, null)).toBeNull();
  expect(valueProblem(compiled, customer, "Ada")).not.toBeNull();
  expect(valueProblem(compiled, { ...customer, required: true }, null)).not.toBeNull();
});

it("checks values and views exactly as the API does", () => {
  const status = base.tables[0].fields[1];
  expect(valueProblem(compiled, status, "open")).toBeNull();
  expect(valueProblem(compiled, status, "lost")).toMatch(/lost/);
  expect(valueProblem(compiled, base.tables[0].fields[0], "ten")).not.toBeNull();
  expect(viewProblem(compiled, base, { name: "Open", table: "orders", fields: ["total"], sort: ["total:desc"] })).toBeNull();
  expect(viewProblem(compiled, base, { name: "Open", table: "orders", fields: ["total"], sort: ["status:asc"] }))
    .toMatch(/not among the view's fields/);
  expect(viewProblem(compiled, base, { name: "Open", table: "nope" })).toMatch(/nope/);
});

it("checks a field's rules as the API does", () => {
  const code = { ...field("code", "text"), rules: { max_length: 6, pattern: "^[A-Z]+-[0-9]+$" } };
  expect(valueProblem(compiled, code, "AB-12")).toBeNull();
  expect(valueProblem(compiled, code, null)).toBeNull();
  expect(valueProblem(compiled, code, "ABCD-123")).toMatch(/Field 'code' takes at most 6 characters\./);
  expect(valueProblem(compiled, code, "ab-12")).toMatch(/Field 'code' must match the pattern \^\[A-Z\]\+-\[0-9\]\+\$\./);
  const score = { ...field("score", "number"), rules: { min: 0, max: 100 } };
  expect(valueProblem(compiled, score, 100)).toBeNull();
  expect(valueProblem(compiled, score, 101)).toMatch(/at most 100/);
  const tier = { ...field("tier", "text"), rules: { allowed: ["gold", "silver"] } };
  expect(valueProblem(compiled, tier, "bronze")).toMatch(/takes one of: gold, silver/);
});
