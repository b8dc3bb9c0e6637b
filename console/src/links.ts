// Link fields (many-to-one) and their reverse side as the console shows them: which table a
// link points at, the field that names a linked record, and the `include=` a read asks for.

import type { ApiRecord, ListOptions, Schemas } from "@nclcdbaas/sdk";

type Table = Schemas["Table"];
type Field = Schemas["FieldInfo"];

/** Relations one read may embed (`include`, at most 4). */
export const MAX_INCLUDES = 4;
/** Records a picker lists at a time. */
export const PICKER_LIMIT = 20;

/** The types `contains` applies to (`FieldType::is_textual`), so a picker can search them. */
const TEXTUAL: readonly Schemas["FieldType"][] = ["text", "long_text", "email", "url"];

/** The table a link field points at. */
export const targetOf = (tables: Table[], field: Field): Table | undefined =>
  field.link ? tables.find((table) => table.id === field.link?.table_id) : undefined;

/** A table's first text field: what names its records when nothing else is chosen (as the API defaults). */
export const firstText = (table: Table): Field | undefined => table.fields.find((field) => field.type === "text");

/** The target field that names the records a link points at: its display field, else the target's first text field. */
export function displayOf(tables: Table[], field: Field): Field | undefined {
  const target = targetOf(tables, field);
  if (!target) return undefined;
  const chosen = field.link?.display_field_id;
  return (chosen ? target.fields.find((candidate) => candidate.id === chosen) : undefined) ?? firstText(target);
}

/** The field that names a record of `table`: the display field of a link to it, else its first text field. */
export function titleFieldOf(tables: Table[], table: Table): Field | undefined {
  for (const other of tables) {
    for (const field of other.fields) {
      if (field.link?.table_id !== table.id || !field.link.display_field_id) continue;
      const shown = table.fields.find((candidate) => candidate.id === field.link?.display_field_id);
      if (shown) return shown;
    }
  }
  return firstText(table);
}

/** A record as a person names it: its display value, or its id when it has none. */
export function titleOf(record: Pick<ApiRecord, "id" | "values">, display: string | undefined): string {
  const value = display === undefined ? undefined : (record.values as Record<string, unknown>)[display];
  if (value === null || value === undefined || value === "") return record.id;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What the grid asks to embed: its visible link fields, in column order, at most 4. */
export const includesOf = (fields: Field[], visible: string[]): string[] =>
  visible.filter((name) => fields.some((field) => field.name === name && field.type === "link")).slice(0, MAX_INCLUDES);

/** `included[name]` of a link field: the linked record, null when there is none, undefined when not asked. */
export function linkedOf(record: ApiRecord, name: string): ApiRecord | null | undefined {
  const included = record.included?.[name];
  return included === undefined ? undefined : (included as ApiRecord | null);
}

/** `included["orders.customer"]` of a reverse link: the first linking records and whether there are more. */
export function reverseOf(record: ApiRecord, include: string): { data: ApiRecord[]; has_more: boolean } {
  const included = record.included?.[include] as { data?: ApiRecord[]; has_more?: boolean } | null | undefined;
  return { data: included?.data ?? [], has_more: included?.has_more === true };
}

/** `include` lists of at most 4 (a read embeds no more). */
export const chunked = (includes: string[]): string[][] =>
  Array.from({ length: Math.ceil(includes.length / MAX_INCLUDES) }, (_, at) =>
    includes.slice(at * MAX_INCLUDES, (at + 1) * MAX_INCLUDES));

/**
 * A picker's search of a link's target: `filter[<display>][contains]=<text>` when the display
 * field is text; any records otherwise, or while nothing is typed.
 */
export function pickerQuery(display: Pick<Field, "name" | "type"> | undefined, text: string): Omit<ListOptions, "table"> {
  const typed = text.trim();
  const searchable = display && typed !== "" && TEXTUAL.includes(display.type);
  return {
    limit: PICKER_LIMIT,
    ...(searchable ? { filter: { [display.name]: { contains: typed } } } : {}),
    ...(display && TEXTUAL.includes(display.type) ? { sort: display.name } : {}),
  };
}
