// What the grid's toolbar asks of the records API: the conditions of its filter builder and
// its sort, as a list request; and the columns a person chose to show, in their order. Pure.

import type { ListOptions } from "@nclcdbaas/sdk";

export interface Condition {
  field: string;
  op: string;
  value: string;
}

export interface Sort {
  field: string;
  descending: boolean;
}

/**
 * The list request of the grid's filter and sort. Conditions on the same field and
 * operator cannot both be sent as `filter[field][op]`, so the first one counts; a
 * condition without a value (other than `is_null`) is left out until it has one.
 */
export function listQuery(conditions: Condition[], sort: Sort[]): Pick<ListOptions, "filter" | "sort"> {
  const filter: NonNullable<ListOptions["filter"]> = {};
  for (const condition of conditions) {
    const value = condition.op === "is_null" ? (condition.value || "true") : condition.value;
    if (value === "") continue;
    const ops = (filter[condition.field] ??= {});
    ops[condition.op] ??= value;
  }
  return {
    filter: Object.keys(filter).length ? filter : undefined,
    sort: sort.length ? sort.map((key) => `${key.field}${key.descending ? ".desc" : ""}`) : undefined,
  };
}

/**
 * The columns to show: the saved order first (names that still exist), then any column
 * added since, less the hidden ones.
 */
export function shownColumns(all: string[], order: string[], hidden: string[]): string[] {
  const known = order.filter((name) => all.includes(name));
  const rest = all.filter((name) => !known.includes(name));
  return [...known, ...rest].filter((name) => !hidden.includes(name));
}

/** `order` with the shown column at `from` moved to `to` (indexes among the shown ones). */
export function moved(all: string[], order: string[], hidden: string[], from: number, to: number): string[] {
  const shown = shownColumns(all, order, hidden);
  const [column] = shown.splice(from, 1);
  shown.splice(to, 0, column);
  return [...shown, ...all.filter((name) => hidden.includes(name))];
}

/** `order` with the column `name` moved `delta` places among all columns, shown or hidden. */
export function shifted(all: string[], order: string[], name: string, delta: number): string[] {
  const columns = shownColumns(all, order, []);
  const from = columns.indexOf(name);
  const to = Math.min(Math.max(from + delta, 0), columns.length - 1);
  if (from < 0) return columns;
  columns.splice(from, 1);
  columns.splice(to, 0, name);
  return columns;
}
