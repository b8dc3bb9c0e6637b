// The table builder's forms as the API's bodies: what a person types (text boxes, a
// comma-separated list of options, a default written as text) to the JSON of the field.

import type { Schemas } from "@nclcdbaas/sdk";
import type { FieldType } from "./cells";

/** Every field type, in the order the builder offers them. */
export const FIELD_TYPES = [
  "text", "long_text", "number", "boolean", "date", "datetime", "email", "url", "single_select", "multi_select",
  "json", "uuid", "link",
] as const satisfies readonly FieldType[];

export const hasOptions = (type: FieldType): boolean => type === "single_select" || type === "multi_select";
/** A link has no default (and no options); every other type may have one. */
export const hasDefault = (type: FieldType): boolean => type !== "link";

export type OnDelete = Schemas["OnDelete"];

/**
 * What deleting a record of `target` does to the `table` records whose `field` links to it,
 * one sentence each, in the order the builder offers them (`set_null` not for a required link).
 */
export const onDeleteChoices = (table: string, target: string, field: string): Array<{ value: OnDelete; title: string; sentence: string }> => [
  { value: "restrict", title: "Restrict", sentence: `A ${target} record cannot be deleted while ${table} records link to it.` },
  { value: "cascade", title: "Cascade", sentence: `Deleting a ${target} record also deletes the ${table} records that link to it.` },
  { value: "set_null", title: "Set null", sentence: `Deleting a ${target} record empties ${field || "the link"} in the ${table} records that linked to it.` },
];

/** Only what an edit changed in a link (`display` by field id), or null when nothing did. */
export function linkPatchOf(link: Schemas["LinkInfo"], onDelete: OnDelete, display: string): Schemas["LinkPatch"] | null {
  const patch: Schemas["LinkPatch"] = {};
  if (onDelete !== link.on_delete) patch.on_delete = onDelete;
  if (display !== "" && display !== link.display_field_id) patch.display = display;
  return Object.keys(patch).length ? patch : null;
}

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
