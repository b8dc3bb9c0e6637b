// A table's history: who changed which record when, and each field before and after; a
// member who writes data undoes a record's latest change from here (refused, with the
// reason, when the record changed since).

import type { Schemas } from "@nclcdbaas/sdk";
import { useState } from "react";
import { valueText } from "./cells";
import { actorName, changedFields } from "./history";
import { useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";

const PAGE = 50;

export function History({ base, table, editable }: { base: Schemas["Base"]; table: Schemas["Table"]; editable: boolean }) {
  const path = { baseId: base.id, table: table.name };
  const [older, setOlder] = useState<Schemas["ChangeEntry"][]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const first = useLoaded(async () => {
    const api = await client();
    const [page, members] = await Promise.all([
      api.call("listTableHistory", { path, query: { limit: PAGE } }),
      base.workspace_id ? api.call("listMembers", { path: { workspaceId: base.workspace_id } }) : { data: [] },
    ]);
    setOlder([]);
    setNext(undefined);
    return { page, names: new Map(members.data.map((member) => [member.user_id, member.name ?? member.email])) };
  }, [base.id, table.name]);
  const entries = [...(first.data?.page.data ?? []), ...older];
  const [undone, setUndone] = useState<string | null>(null);

  async function undo(entry: Schemas["ChangeEntry"]) {
    setError(null);
    setUndone(null);
    try {
      const result = await (await client()).call("revertChange", { path: { ...path, seq: entry.seq } });
      const skipped = result.skipped_fields.length ? ` (not restored: ${result.skipped_fields.join(", ")})` : "";
      setUndone(`Change ${entry.seq} undone${skipped}.`);
      await first.reload();
    } catch (failure) {
      setError(failure);
    }
  }
  const before = next === undefined ? first.data?.page.next_before : next;

  async function loadOlder() {
    if (before === null || before === undefined) return;
    try {
      const page = await (await client()).call("listTableHistory", { path, query: { limit: PAGE, before } });
      setOlder([...older, ...page.data]);
      setNext(page.next_before);
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section aria-label="History">
      <Problem error={first.error ?? error} />
      {undone && <p role="status">{undone}</p>}
      {first.data && entries.length === 0 && <p>No changes yet.</p>}
      <ol className="history" data-testid="history">
        {entries.map((entry) => (
          <li key={entry.seq}>
            <div>
              <strong>{{ insert: "Added", update: "Changed", delete: "Deleted" }[entry.op] ?? entry.op}</strong> record{" "}
              <code>{entry.record_id.slice(0, 8)}</code>{" "}
              <span className="hint">
                by {actorName(entry.actor, first.data?.names ?? new Map())} at {entry.at}
              </span>{" "}
              {editable && (
                <button type="button" className="small" aria-label={`Undo change ${entry.seq}`} onClick={() => void undo(entry)}>
                  Undo
                </button>
              )}
            </div>
            <FieldChanges change={entry} />
          </li>
        ))}
      </ol>
      {before !== null && before !== undefined && (
        <button type="button" onClick={() => void loadOlder()}>Older changes</button>
      )}
    </section>
  );
}

/** What a change did to each field it touched: the value before, struck, and after. */
export function FieldChanges({ change }: { change: Pick<Schemas["ChangeEntry"], "op" | "before" | "after"> }) {
  return (
    <ul className="changes">
      {changedFields(change).map((field) => (
        <li key={field.field}>
          {field.field}:{" "}
          {"before" in field && <del>{valueText(field.before, "(empty)")}</del>}
          {"before" in field && "after" in field && " → "}
          {"after" in field && <ins>{valueText(field.after, "(empty)")}</ins>}
        </li>
      ))}
    </ul>
  );
}
