// A base's schema history: every change asked for, who asked, how it ended, and its DDL,
// with a revert (previewed first) for each change that can still be undone; and what was
// dropped, restorable until its retention ends, then purged for good by an admin who
// types its name again.

import { useState, type FormEvent } from "react";
import type { Schemas } from "@nclcdbaas/sdk";
import { ddlText } from "./Fields";
import { useChange, useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";

type Result = Schemas["SchemaChangeResult"];

/** Reverts (or with `dryRun` previews the revert of) a schema operation. */
async function revert(baseId: string, opId: string, dryRun: boolean): Promise<Result> {
  return (await client()).call("revertSchemaOp", { path: { baseId, opId }, query: { dry_run: dryRun } });
}

export function SchemaOps({ baseId }: { baseId: string }) {
  const ops = useLoaded(async () => (await client()).call("listSchemaOps", { path: { baseId } }), [baseId]);
  const [droppedKey, setDroppedKey] = useState(0);
  const [preview, setPreview] = useState<{ opId: string; kind: string; steps: NonNullable<Result["steps"]> } | null>(null);
  const reverted = useChange(async () => {
    setPreview(null);
    setDroppedKey((n) => n + 1);
    await ops.reload();
  });
  const previewing = useChange();
  const propose = (opId: string) =>
    void previewing.run(async () => {
      const planned = await revert(baseId, opId, true);
      setPreview({ opId, kind: String((planned.change as { kind?: string } | undefined)?.kind ?? ""), steps: planned.steps ?? [] });
    });
  return (
    <section>
      <Dropped baseId={baseId} key={droppedKey} changed={() => ops.reload()} />
      <h2>Schema history</h2>
      <Problem error={ops.error ?? previewing.error ?? reverted.error} />
      {preview && (
        <section className="preview" aria-label="Revert preview">
          <h3>Revert: {preview.kind.replaceAll("_", " ")}</h3>
          <p>This revert will run:</p>
          <pre data-testid="ddl">{preview.steps.map(ddlText).join("\n") || "(no DDL: only the catalog changes)"}</pre>
          <div className="actions">
            <button type="button" className="primary" disabled={reverted.busy}
              onClick={() => void reverted.run(() => revert(baseId, preview.opId, false))}>
              Revert
            </button>
            <button type="button" onClick={() => setPreview(null)}>Cancel</button>
          </div>
        </section>
      )}
      {ops.data?.data.length === 0 && <p>No schema changes yet.</p>}
      <ol className="history" reversed>
        {ops.data?.data.map((op) => (
          <li key={op.id} className={`op ${op.status}`}>
            <div>
              <strong>{op.kind.replaceAll("_", " ")}</strong> <span className={`badge ${op.status}`}>{op.status}</span>{" "}
              <span className="hint">
                by {op.actor} at {op.created_at}
              </span>{" "}
              {op.revertible && (
                <button type="button" aria-label={`Revert ${op.kind.replaceAll("_", " ")} ${op.id}`} onClick={() => propose(op.id)}>
                  Revert…
                </button>
              )}
            </div>
            {op.error && <p className="problem">{op.error}</p>}
            <details>
              <summary>Request and DDL</summary>
              <pre>{JSON.stringify(op.request, null, 2)}</pre>
              <pre>{(op.steps ?? []).map((step) => step.sql + ";").join("\n")}</pre>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Soft-dropped tables and fields: their restore, when each may be purged, and the purge. */
function Dropped({ baseId, changed }: { baseId: string; changed: () => unknown }) {
  const dropped = useLoaded(async () => (await client()).call("listDropped", { path: { baseId } }), [baseId]);
  const [purging, setPurging] = useState<string | null>(null);
  const purge = useChange(async () => {
    setPurging(null);
    await Promise.all([dropped.reload(), changed()]);
  });

  function submit(event: FormEvent<HTMLFormElement>, droppedId: string) {
    event.preventDefault();
    const confirm = String(new FormData(event.currentTarget).get("confirm") ?? "");
    void purge.run(async () =>
      (await client()).call("purgeDropped", { path: { baseId, droppedId }, body: { confirm } }),
    );
  }

  const items = dropped.data?.data ?? [];
  return (
    <>
      <h2>Dropped</h2>
      <Problem error={dropped.error ?? purge.error} />
      {items.length === 0 && <p className="hint">Nothing dropped is waiting to be purged.</p>}
      {items.length > 0 && (
        <table className="list" data-testid="dropped">
          <thead>
            <tr><th>What</th><th>Dropped</th><th>Purgeable from</th><th /></tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>
                  {item.kind === "table" ? `table ${item.name}` : `field ${item.table}.${item.name}`}
                  {item.dependents.length > 0 && <div className="hint">still named by {item.dependents.join(", ")}</div>}
                </td>
                <td>{item.dropped_at}</td>
                <td>{item.purgeable_at}</td>
                <td>
                  {item.restore_op && (
                    <button type="button" disabled={purge.busy}
                      onClick={() => void purge.run(() => revert(baseId, item.restore_op!, false))}>
                      Restore
                    </button>
                  )}{" "}
                  {purging === item.id ? (
                    <form className="inline" aria-label={`Purge ${item.name}`} onSubmit={(event) => submit(event, item.id)}>
                      <label>
                        Type <code>{item.name}</code> to purge it for good{" "}
                        <input name="confirm" required autoComplete="off" />
                      </label>
                      <button type="submit" className="danger" disabled={purge.busy}>Purge</button>
                      <button type="button" onClick={() => setPurging(null)}>Cancel</button>
                    </form>
                  ) : (
                    <button type="button" disabled={!item.purgeable || item.dependents.length > 0} onClick={() => setPurging(item.id)}>
                      Purge…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
