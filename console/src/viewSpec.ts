// Views as the builder edits them: the columns a spec may name, a preview as a records
// query, and a published view's call (URL and headers) for the API & usage panel. Pure.

import type { Schemas } from "@nclcdbaas/sdk";
import type { Call } from "./snippets";

type Table = Schemas["Table"];
type Spec = Schemas["ViewSpec"];

/** The system columns every table has, and their types. */
export const SYSTEM_COLUMNS: ReadonlyArray<{ name: string; type: Schemas["FieldType"] }> = [
  { name: "id", type: "uuid" },
  { name: "created_at", type: "datetime" },
  { name: "updated_at", type: "datetime" },
];

/** The fields a spec returns: the listed ones, or every field when it lists none. */
export const returned = (spec: Spec, table: Table): string[] =>
  spec.fields?.length ? spec.fields : table.fields.map((field) => field.name);

/** The type of a column of `table` (a field or a system column), if it has one. */
export const typeOf = (table: Table, name: string): Schemas["FieldType"] | undefined =>
  table.fields.find((field) => field.name === name)?.type ?? SYSTEM_COLUMNS.find((column) => column.name === name)?.type;

/** The columns a caller's sort or filter may name: the returned fields of the table itself and the system columns. */
export const exposed = (spec: Spec, table: Table): string[] => [
  ...returned(spec, table).filter((name) => !isJoined(name)),
  ...SYSTEM_COLUMNS.map((column) => column.name),
];

/** A field of the linked record (`customer.name`), which a view returns after its own. */
export const isJoined = (name: string): boolean => name.includes(".");

/** What a view of `table` may join: `link.field` for each field of each link's target. */
export const joinable = (table: Table, tables: readonly Table[]): string[] =>
  table.fields.flatMap((field) => {
    const target = field.link && tables.find((candidate) => candidate.id === field.link?.table_id);
    return target ? target.fields.map((linked) => `${field.name}.${linked.name}`) : [];
  });

/** The spec's fields with `name` turned on or off, own fields in the table's order, joined ones after. */
export function toggled(spec: Spec, table: Table, name: string, on: boolean): string[] {
  const chosen = new Set(returned(spec, table));
  if (on) chosen.add(name);
  else chosen.delete(name);
  const own = table.fields.map((field) => field.name).filter((field) => chosen.has(field));
  return [...own, ...[...chosen].filter(isJoined)];
}

/**
 * The view's rows as the records API would list them for a member: its filters (each
 * parameter given its value in `values`, or, left out, what the view does then), its sort,
 * fields and default limit. Null when a required parameter has no value.
 */
export function previewQuery(
  spec: Spec,
  values: Record<string, string>,
): { where?: unknown; sort?: string[]; fields?: string[]; limit: number } | { empty: true } | null {
  const conditions: unknown[] = [];
  for (const filter of spec.filters ?? []) {
    const arg = filter.value as { param?: string } | unknown;
    const param = typeof arg === "object" && arg !== null && "param" in arg ? String(arg.param) : undefined;
    if (param === undefined) {
      conditions.push({ field: filter.field, op: filter.op, value: filter.value });
      continue;
    }
    const value = values[param];
    if (value !== undefined && value !== "") {
      conditions.push({ field: filter.field, op: filter.op, value });
      continue;
    }
    const absent = spec.params?.find((candidate) => candidate.name === param)?.when_absent ?? "error";
    if (absent === "error") return null;
    if (absent === "no_rows") return { empty: true };
  }
  return {
    where: conditions.length === 0 ? undefined : conditions.length === 1 ? conditions[0] : { and: conditions },
    sort: spec.sort?.length ? spec.sort.map((key) => key.replace(":", ".")) : undefined,
    fields: spec.fields?.length ? spec.fields : undefined,
    limit: spec.default_limit ?? 25,
  };
}

/** The call of a published view with the values of its parameters, and the secret its auth needs. */
export function viewCall(
  origin: string,
  view: Schemas["View"],
  spec: Spec,
  values: Record<string, string>,
  secret: string,
): Call {
  const query = new URLSearchParams({ limit: String(spec.default_limit ?? 25) });
  for (const param of spec.params ?? []) {
    const value = values[param.name];
    if (value) query.set(param.name, value);
  }
  const headers: Array<[string, string]> =
    view.auth === "public"
      ? []
      : [["Authorization", `Bearer ${secret || (view.auth === "view_key" ? "<VIEW_KEY>" : "<API_TOKEN>")}`]];
  return { url: `${origin}${view.url}?${query}`, headers };
}
