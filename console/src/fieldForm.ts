// The table builder's forms as the API's bodies: what a person types (text boxes, a
// comma-separated list of options, a default written as text) to the JSON of the field.

import type { Schemas } from "@nclcdbaas/sdk";
import type { FieldType } from "./cells";

/** Every field type, in the order the builder offers them. */
export const FIELD_TYPES = [
  "text", "long_text", "number", "boolean", "date", "datetime", "email", "url", "single_select", "multi_select",
  "json", "uuid", "link", "file",
] as const satisfies readonly FieldType[];

/** Selects list their choices; a file field the media types it accepts (`image/*`). */
export const hasOptions = (type: FieldType): boolean => type === "single_select" || type === "multi_select" || type === "file";
/** Links and files have no default; every other type may have one. */
export const hasDefault = (type: FieldType): boolean => type !== "link" && type !== "file";

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

/**
 * A field's validation rules: lengths, pattern and allowed values for text; bounds for
 * numbers (JSON numbers) and dates (`YYYY-MM-DD`).
 */
export type FieldRules = Schemas["FieldRules"];
export type RuleName = keyof FieldRules;

/** The rules a field of `type` may have, in the order the builder offers them. */
export function rulesFor(type: FieldType): RuleName[] {
  switch (type) {
    case "text": case "long_text": case "email": case "url":
      return ["min_length", "max_length", "pattern", "allowed"];
    case "number": case "date":
      return ["min", "max"];
    default:
      return [];
  }
}

/** The rules' boxes as typed (`allowed` one value a line); an empty box sets no rule. */
export type RulesText = Partial<Record<RuleName, string>>;

/**
 * The boxes kept when a field's type changes from `from` to `to`: text rules carry over
 * between text types; other rules go (a number's bounds are not a date's).
 */
export const rulesTextFor = (from: FieldType, to: FieldType, text: RulesText): RulesText =>
  from === to || (rulesFor(from).includes("pattern") && rulesFor(to).includes("pattern")) ? text : {};

/** The boxes of the rules as a form shows them. */
export function rulesText(rules: FieldRules | undefined): RulesText {
  const text: RulesText = {};
  for (const [rule, value] of Object.entries(rules ?? {}) as Array<[RuleName, unknown]>) {
    if (value !== undefined && value !== null) text[rule] = Array.isArray(value) ? value.join("\n") : String(value);
  }
  return text;
}

/** The rules of a field of `type` as typed, to the API's JSON: boxes of other types' rules are left out. */
export function rulesOf(type: FieldType, text: RulesText): FieldRules {
  const rules: FieldRules = {};
  for (const rule of rulesFor(type)) {
    const typed = text[rule] ?? "";
    if (typed.trim() === "") continue;
    switch (rule) {
      case "min_length": case "max_length": {
        const count = Number(typed);
        if (!Number.isInteger(count) || count < 0) throw new Error(`A ${rule === "min_length" ? "min" : "max"} length is a whole number of characters.`);
        rules[rule] = count;
        break;
      }
      case "pattern":
        rules.pattern = typed;
        break;
      case "allowed":
        rules.allowed = [...new Set(typed.split("\n").map((value) => value.trim()).filter((value) => value !== ""))];
        break;
      case "min": case "max":
        if (type === "number") {
          const number = Number(typed);
          if (!Number.isFinite(number)) throw new Error(`The ${rule} '${typed}' is not a number.`);
          rules[rule] = number;
        } else {
          rules[rule] = typed.trim();
        }
    }
  }
  return rules;
}

/** Whether two sets of rules say the same (whatever the order of their members). */
export const sameRules = (a: FieldRules | undefined, b: FieldRules | undefined): boolean => {
  const key = (rules: FieldRules = {}) =>
    JSON.stringify(Object.entries(rules).filter(([, value]) => value !== undefined && value !== null && !(Array.isArray(value) && !value.length)).sort());
  return key(a) === key(b);
};

/** Rules in a few words: `3–8 characters · pattern ^[A-Z]+$ · one of gold, silver · 0 to 100`. */
export function rulesSummary(rules: FieldRules | undefined): string {
  const { min_length: fewest, max_length: most, pattern, allowed, min, max } = rules ?? {};
  const range = (low: unknown, high: unknown, unit = "") =>
    low != null && high != null
      ? low === high ? `exactly ${low}${unit}` : `${low}${unit ? "–" : " to "}${high}${unit}`
      : low != null ? `at least ${low}${unit}` : high != null ? `at most ${high}${unit}` : null;
  return [
    range(fewest, most, " characters"),
    pattern != null ? `pattern ${pattern}` : null,
    allowed?.length ? `one of ${allowed.join(", ")}` : null,
    range(min, max),
  ].filter(Boolean).join(" · ");
}

/**
 * What a value typed in the "Try a value" box stands for, in the field's JSON form: empty is
 * none; numbers, booleans, JSON and multi-selects are read in their own form, and text that
 * is not of the type is checked as typed (so the check says why it is refused), but for JSON,
 * refused here as the grid refuses it.
 */
export function tryValueOf(type: FieldType, text: string): unknown {
  if (text.trim() === "") return null;
  switch (type) {
    case "number":
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    case "multi_select":
      return optionsOf(text);
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        throw new Error("The value typed is not valid JSON.");
      }
    default:
      return text;
  }
}
