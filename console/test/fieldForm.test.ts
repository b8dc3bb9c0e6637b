import { expect, it } from "vitest";
import {
  FIELD_TYPES, defaultOf, defaultText, hasDefault, linkPatchOf, onDeleteChoices, optionsOf, rulesFor, rulesOf, rulesSummary, rulesText,
  rulesTextFor, sameRules, tryValueOf,
} from "../src/fieldForm";

it("reads a select's options from a comma-separated list", () => {
  expect(optionsOf(" new, paid ,, shipped ")).toEqual(["new", "paid", "shipped"]);
  expect(optionsOf("")).toEqual([]);
});

it("reads a default in its field's form, and shows it back", () => {
  expect(defaultOf("text", "")).toBeNull();
  expect(defaultOf("number", "12.5")).toEqual({ value: 12.5 });
  expect(() => defaultOf("number", "twelve")).toThrow(/not a number/);
  expect(defaultOf("boolean", "false")).toEqual({ value: false });
  expect(() => defaultOf("boolean", "yes")).toThrow(/true or false/);
  expect(defaultOf("multi_select", "a, b")).toEqual({ value: ["a", "b"] });
  expect(defaultOf("json", '{"k":[1]}')).toEqual({ value: { k: [1] } });
  expect(() => defaultOf("json", "{")).toThrow(/JSON/);
  expect(defaultOf("date", "2025-01-31")).toEqual({ value: "2025-01-31" });
  for (const [type, text] of [["multi_select", "a, b"], ["json", '{"k":[1]}'], ["number", "3"], ["text", "hi"]] as const) {
    expect(defaultText(defaultOf(type, text)?.value)).toBe(text);
  }
  expect(defaultText(null)).toBe("");
});

it("offers links, with each action on delete in one sentence", () => {
  expect(FIELD_TYPES).toContain("link");
  expect(hasDefault("link")).toBe(false);
  expect(hasDefault("file")).toBe(false);
  expect(hasDefault("text")).toBe(true);
  const choices = onDeleteChoices("orders", "customers", "customer");
  expect(choices.map((choice) => choice.value)).toEqual(["restrict", "cascade", "set_null"]);
  expect(choices[0].sentence).toBe("A customers record cannot be deleted while orders records link to it.");
  expect(choices[1].sentence).toMatch(/also deletes the orders records/);
  expect(choices[2].sentence).toMatch(/empties customer in the orders records/);
});

it("patches only what an edit changed in a link", () => {
  const link = { table_id: "c", table: "customers", on_delete: "restrict", display_field_id: "f-name" } as const;
  expect(linkPatchOf(link, "restrict", "f-name")).toBeNull();
  expect(linkPatchOf(link, "cascade", "f-name")).toEqual({ on_delete: "cascade" });
  expect(linkPatchOf(link, "restrict", "f-email")).toEqual({ display: "f-email" });
  expect(linkPatchOf(link, "set_null", "")).toEqual({ on_delete: "set_null" });
});

it("offers each type only the rules that apply to it", () => {
  for (const type of ["text", "long_text", "email", "url"] as const) {
    expect(rulesFor(type)).toEqual(["min_length", "max_length", "pattern", "allowed"]);
  }
  expect(rulesFor("number")).toEqual(["min", "max"]);
  expect(rulesFor("date")).toEqual(["min", "max"]);
  for (const type of ["boolean", "datetime", "single_select", "multi_select", "json", "uuid", "link"] as const) {
    expect(rulesFor(type)).toEqual([]);
  }
  // Switching type keeps text rules between text types, and drops the rest.
  const text = { max_length: "8", pattern: "^[A-Z]+$" };
  expect(rulesTextFor("text", "email", text)).toBe(text);
  expect(rulesTextFor("text", "number", text)).toEqual({});
  expect(rulesTextFor("number", "date", { min: "5" })).toEqual({});
  expect(rulesTextFor("number", "number", { min: "5" })).toEqual({ min: "5" });
});

it("reads the rules as typed to the API's JSON, and shows them back", () => {
  expect(rulesOf("text", { min_length: "3", max_length: " 8 ", pattern: "^[A-Z]+-[0-9]+$", allowed: "gold\n silver \n\ngold\n" }))
    .toEqual({ min_length: 3, max_length: 8, pattern: "^[A-Z]+-[0-9]+$", allowed: ["gold", "silver"] });
  expect(rulesOf("text", { min_length: "", pattern: "" })).toEqual({});
  expect(rulesOf("number", { min: "0", max: "10.5" })).toEqual({ min: 0, max: 10.5 });
  expect(rulesOf("date", { min: "2025-01-01" })).toEqual({ min: "2025-01-01" });
  // Boxes of rules the type does not take are left out.
  expect(rulesOf("number", { max_length: "3", max: "9" })).toEqual({ max: 9 });
  expect(rulesOf("boolean", { pattern: "x" })).toEqual({});
  expect(() => rulesOf("text", { max_length: "2.5" })).toThrow(/whole number/);
  expect(() => rulesOf("number", { min: "ten" })).toThrow(/not a number/);
  const rules = { min_length: 3, pattern: "^a", allowed: ["x", "y"] };
  expect(rulesOf("text", rulesText(rules))).toEqual(rules);
  expect(rulesText({ min: 0, max: "2025-12-31" })).toEqual({ min: "0", max: "2025-12-31" });
  expect(rulesText(undefined)).toEqual({});
  expect(sameRules({ max: 3, min: 1 }, { min: 1, max: 3 })).toBe(true);
  expect(sameRules({}, { allowed: [] })).toBe(true);
  expect(sameRules({ min: 1 }, { min: 2 })).toBe(false);
});

it("sums rules up in a few words", () => {
  expect(rulesSummary({ min_length: 3, max_length: 8, pattern: "^[A-Z]+-[0-9]+$", allowed: ["gold", "silver"] }))
    .toBe("3–8 characters · pattern ^[A-Z]+-[0-9]+$ · one of gold, silver");
  expect(rulesSummary({ min: 0, max: 100 })).toBe("0 to 100");
  expect(rulesSummary({ min: "2025-01-01" })).toBe("at least 2025-01-01");
  expect(rulesSummary({ max: 9 })).toBe("at most 9");
  expect(rulesSummary({ max_length: 80 })).toBe("at most 80 characters");
  expect(rulesSummary({ min_length: 5, max_length: 5 })).toBe("exactly 5 characters");
  expect(rulesSummary({})).toBe("");
  expect(rulesSummary(undefined)).toBe("");
});

it("reads a tried value in its field's form", () => {
  expect(tryValueOf("text", "")).toBeNull();
  expect(tryValueOf("text", "AB-12")).toBe("AB-12");
  expect(tryValueOf("number", "12.5")).toBe(12.5);
  expect(tryValueOf("number", "twelve")).toBe("twelve"); // left for the check to refuse
  expect(tryValueOf("boolean", "true")).toBe(true);
  expect(tryValueOf("multi_select", "a, b")).toEqual(["a", "b"]);
  expect(tryValueOf("json", '{"k":1}')).toEqual({ k: 1 });
  expect(() => tryValueOf("json", "{")).toThrow(/not valid JSON/);
});
