import { expect, it } from "vitest";
import { FIELD_TYPES, defaultOf, defaultText, hasDefault, linkPatchOf, onDeleteChoices, optionsOf } from "../src/fieldForm";

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
