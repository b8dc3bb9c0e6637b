import { expect, it } from "vitest";
import { defaultOf, defaultText, optionsOf } from "../src/fieldForm";

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
