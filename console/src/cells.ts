// How a field's value shows in the grid and how an edit becomes the JSON value the API
// takes: pure, so the rules are tested without a browser.

import type { Schemas } from "@nclcdbaas/sdk";
import { attachmentsOf, filesText, isImage } from "./files";

export type FieldType = Schemas["FieldType"];

/** The types whose cells are edited by picking: a date, a moment, or the field's options. */
export type PickedType = "date" | "datetime" | "single_select" | "multi_select";
const PICKED: readonly FieldType[] = ["date", "datetime", "single_select", "multi_select"];

/** A cell, before the grid library draws it. */
export type Cell =
  | { kind: "text"; data: string; editable: boolean }
  | { kind: "number"; data: number | undefined; editable: boolean }
  | { kind: "boolean"; data: boolean | null; editable: boolean }
  | { kind: "picked"; type: PickedType; data: string | string[] | null; options: string[]; editable: boolean }
  /** A link: the linked record's id, and the text that names it (its display value, else the id). */
  | { kind: "link"; data: string | null; text: string; editable: boolean }
  /** A file field's image previews (their signed addresses); files are changed in the record's attachments. */
  | { kind: "images"; data: string[]; editable: false };

/** What a cell needs of its field. */
export type FieldShape = { type: FieldType; options?: string[] | null; computed?: unknown };

/** The cell of `value`, a value of `field`; a link's is named by `linked`, its record's display value. */
export function cellOf(field: FieldShape, value: unknown, linked?: string): Cell {
  const type = field.type;
  // A computed field (formula, lookup, rollup) is shown, never edited.
  const editable = !field.computed;
  if (type === "link") {
    const id = typeof value === "string" ? value : null;
    return { kind: "link", data: id, text: id === null ? "" : linked || id, editable };
  }
  if (PICKED.includes(type)) {
    const data = type === "multi_select"
      ? (Array.isArray(value) ? value.map(String) : null)
      : (typeof value === "string" ? value : null);
    return { kind: "picked", type: type as PickedType, data, options: field.options ?? [], editable };
  }
  switch (type) {
    case "number":
      return { kind: "number", data: typeof value === "number" ? value : undefined, editable };
    case "boolean":
      return { kind: "boolean", data: typeof value === "boolean" ? value : null, editable };
    case "json":
      return { kind: "text", data: value === null || value === undefined ? "" : JSON.stringify(value), editable };
    // Files are uploaded and removed in the record's attachments, not typed: images show as
    // thumbnails, other files by name.
    case "file": {
      const images = attachmentsOf(value).filter(isImage).flatMap((file) => (file.url ? [file.url] : []));
      return images.length ? { kind: "images", data: images, editable: false } : { kind: "text", data: filesText(value), editable: false };
    }
    default:
      return { kind: "text", data: typeof value === "string" ? value : "", editable };
  }
}

/** The JSON value an edited cell stands for; an empty cell empties the field (`null`). */
export function valueOf(type: FieldType, edited: Cell): unknown {
  switch (edited.kind) {
    case "number":
      return edited.data === undefined || Number.isNaN(edited.data) ? null : edited.data;
    case "boolean":
      return edited.data;
    case "picked":
      return Array.isArray(edited.data) ? (edited.data.length ? edited.data : null) : edited.data || null;
    case "link":
      return edited.data || null;
    case "images":
      return null; // Never edited in the grid.
    case "text": {
      const text = edited.data;
      if (text.trim() === "") return null;
      if (type === "json") return JSON.parse(text);
      return text;
    }
  }
}

/** A picked cell as text: what the grid draws and copies. */
export const pickedText = (cell: Extract<Cell, { kind: "picked" }>): string =>
  Array.isArray(cell.data) ? cell.data.join(", ") : cell.data ?? "";

/**
 * A picked cell with `text` pasted into it, or null when the text is none of the field's
 * options (dates and moments are left for the compiler's check, as typed ones are).
 */
export function pasted(cell: Extract<Cell, { kind: "picked" }>, text: string): Extract<Cell, { kind: "picked" }> | null {
  const trimmed = text.trim();
  switch (cell.type) {
    case "single_select":
      return trimmed === "" || cell.options.includes(trimmed) ? { ...cell, data: trimmed || null } : null;
    case "multi_select": {
      const picked = trimmed.split(",").map((option) => option.trim()).filter(Boolean);
      return picked.every((option) => cell.options.includes(option)) ? { ...cell, data: picked } : null;
    }
    default:
      return { ...cell, data: trimmed || null };
  }
}

/**
 * A moment as a `datetime-local` input shows it, in UTC (the API answers in UTC), and back:
 * `2026-03-01T09:30:00+00:00` ⇄ `2026-03-01T09:30:00`.
 */
export const momentInput = (moment: string | null): string => {
  const time = moment ? Date.parse(moment) : NaN;
  return Number.isNaN(time) ? "" : new Date(time).toISOString().slice(0, 19);
};
export const momentOf = (input: string): string | null =>
  input === "" ? null : `${input.length === 16 ? `${input}:00` : input}Z`;

/** A field's JSON value as one line of text; `empty` stands for no value. */
export const valueText = (value: unknown, empty = ""): string =>
  value === null || value === undefined ? empty : typeof value === "string" ? value : JSON.stringify(value);

/** The system columns the grid shows after the fields, read-only. */
export const SYSTEM_COLUMNS = ["id", "created_at", "updated_at"] as const;
