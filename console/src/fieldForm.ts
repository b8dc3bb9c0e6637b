// The table builder's forms as the API's bodies: what a person types (text boxes, a
// comma-separated list of options, a default written as text) to the JSON of the field.

import type { FieldType } from "./cells";

/** Every field type, in the order the builder offers them. */
export const FIELD_TYPES = [
  "text", "long_text", "number", "boolean", "date", "datetime", "email", "url", "single_select", "multi_select",
  "json", "uuid",
] as const satisfies readonly FieldType[];

export const hasOptions = (type: FieldType): boolean => type === "single_select" || type === "multi_select";

/** `"a, b ,c"` → `["a", "b", "c"]`: the choices of a select, empty ones left out. */
export const optionsOf = (text: string): string[] =>
  text.split(",").map((option) => option.trim()).filter((option) => option !== "");

/**
 * A default as typed to its JSON value: empty is none; numbers, booleans, JSON and
 * multi-selects are read in their own form (the server checks the value against the field).
 */
export function defaultOf(type: FieldType, text: string): { value: unknown } | null {
  if (text.trim() === "") return null;
  switch (type) {
    case "number": {
      const number = Number(text);
      if (!Number.isFinite(number)) throw new Error(`The default '${text}' is not a number.`);
      return { value: number };
    }
    case "boolean":
      if (text !== "true" && text !== "false") throw new Error("A boolean's default is true or false.");
      return { value: text === "true" };
    case "multi_select":
      return { value: optionsOf(text) };
    case "json":
      try {
        return { value: JSON.parse(text) };
      } catch {
        throw new Error("The default is not valid JSON.");
      }
    default:
      return { value: text };
  }
}

/** A default's JSON value as the form shows it. */
export function defaultText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join(", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}
