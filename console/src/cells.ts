// How a field's value shows in the grid and how an edit becomes the JSON value the API
// takes: pure, so the rules are tested without a browser.

import type { Schemas } from "@nclcdbaas/sdk";

export type FieldType = Schemas["FieldType"];

/** A cell, before the grid library draws it. */
export type Cell =
  | { kind: "text"; data: string; editable: boolean }
  | { kind: "number"; data: number | undefined; editable: boolean }
  | { kind: "boolean"; data: boolean | null; editable: boolean };

/** The cell of `value`, a field of `type`. */
export function cellOf(type: FieldType, value: unknown): Cell {
  switch (type) {
    case "number":
      return { kind: "number", data: typeof value === "number" ? value : undefined, editable: true };
    case "boolean":
      return { kind: "boolean", data: typeof value === "boolean" ? value : null, editable: true };
    case "json":
      return { kind: "text", data: value === null || value === undefined ? "" : JSON.stringify(value), editable: true };
    case "multi_select":
      return { kind: "text", data: Array.isArray(value) ? value.join(", ") : "", editable: true };
    default:
      return { kind: "text", data: typeof value === "string" ? value : "", editable: true };
  }
}

/** The JSON value an edited cell stands for; an empty cell empties the field (`null`). */
export function valueOf(type: FieldType, edited: Cell): unknown {
  switch (edited.kind) {
    case "number":
      return edited.data === undefined || Number.isNaN(edited.data) ? null : edited.data;
    case "boolean":
      return edited.data;
    case "text": {
      const text = edited.data;
      if (text.trim() === "") return null;
      if (type === "json") return JSON.parse(text);
      if (type === "multi_select") return text.split(",").map((option) => option.trim()).filter(Boolean);
      return text;
    }
  }
}

/** A field's JSON value as one line of text; `empty` stands for no value. */
export const valueText = (value: unknown, empty = ""): string =>
  value === null || value === undefined ? empty : typeof value === "string" ? value : JSON.stringify(value);

/** The system columns the grid shows after the fields, read-only. */
export const SYSTEM_COLUMNS = ["id", "created_at", "updated_at"] as const;
