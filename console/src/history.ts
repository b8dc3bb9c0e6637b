// A table's history as a person reads it: what each change did, field by field. Pure.

import type { Schemas } from "@nclcdbaas/sdk";

type Entry = Schemas["ChangeEntry"];

/** One field of a change: its value before and after (undefined where there is none). */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
}

const valuesOf = (record: unknown): Record<string, unknown> =>
  typeof record === "object" && record !== null && "values" in record
    ? ((record as { values: Record<string, unknown> }).values ?? {})
    : {};

/**
 * The fields a change touched: every field an insert set (non-empty), every field a delete
 * removed, and the fields whose value an update changed.
 */
export function changedFields(entry: Pick<Entry, "op" | "before" | "after">): FieldChange[] {
  const before = valuesOf(entry.before);
  const after = valuesOf(entry.after);
  switch (entry.op) {
    case "insert":
      return Object.entries(after).filter(([, value]) => value !== null).map(([field, value]) => ({ field, after: value }));
    case "delete":
      return Object.entries(before).filter(([, value]) => value !== null).map(([field, value]) => ({ field, before: value }));
    default: {
      const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
      return fields
        .filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null))
        .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
    }
  }
}

/** The change-log operation of an audit log's record action (`record.update` → `update`). */
export function recordOp(action: string): Entry["op"] | null {
  return ({ "record.create": "insert", "record.update": "update", "record.delete": "delete" } as Record<string, string>)[action] ?? null;
}

/** Who made a change, by name where the members list knows them. */
export function actorName(actor: string, names: Map<string, string>): string {
  const [kind, id = ""] = actor.split(":");
  if (kind === "user") return names.get(id) ?? `a former member (${id.slice(0, 8)})`;
  if (kind === "token") return `API token ${id.slice(0, 8)}`;
  return actor;
}
