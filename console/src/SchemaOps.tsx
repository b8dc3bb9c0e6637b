// A base's schema history: every change asked for, who asked, how it ended, and its DDL.

import { useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";

export function SchemaOps({ baseId }: { baseId: string }) {
  const ops = useLoaded(async () => (await client()).call("listSchemaOps", { path: { baseId } }), [baseId]);
  return (
    <section>
      <h2>Schema history</h2>
      <Problem error={ops.error} />
      {ops.data?.data.length === 0 && <p>No schema changes yet.</p>}
      <ol className="history" reversed>
        {ops.data?.data.map((op) => (
          <li key={op.id} className={`op ${op.status}`}>
            <div>
              <strong>{op.kind.replaceAll("_", " ")}</strong> <span className={`badge ${op.status}`}>{op.status}</span>{" "}
              <span className="hint">
                by {op.actor} at {op.created_at}
              </span>
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
