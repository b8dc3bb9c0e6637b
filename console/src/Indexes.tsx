// A table's indexes: what exists, a build's progress while it runs, adding and dropping
// one, and the indexes the table's views would use (their sort, their filters).

import type { Schemas } from "@nclcdbaas/sdk";
import { useEffect, useState } from "react";
import { useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";

type Table = Schemas["Table"];
type ViewSpec = Schemas["ViewSpec"];

/** An index worth adding: its fields (`name` or `name:desc`) and the view that would use it. */
export interface Suggestion {
  fields: string[];
  why: string;
}

/** Fields whose values an index serves already: unique fields and links have their own. */
const covered = (table: Table, name: string): boolean =>
  table.uniques.includes(name) ||
  table.fields.some((field) => field.name === name && field.type === "link") ||
  table.indexes.some((index) => index.fields[0]?.split(":")[0] === name);

/**
 * The indexes the views of `table` would use and do not have: a view's first sort key, else
 * the first field it filters on, when it is a stored field of the table no index leads with.
 */
export function suggestions(table: Table, views: ViewSpec[]): Suggestion[] {
  const found: Suggestion[] = [];
  for (const view of views.filter((spec) => spec.table === table.name)) {
    const [first] = view.sort ?? [];
    const [name, direction] = (first ?? view.filters?.[0]?.field ?? "").split(":");
    const field = table.fields.find((candidate) => candidate.name === name);
    if (!field || field.computed || ["long_text", "json", "multi_select"].includes(field.type) || covered(table, name)) continue;
    const fields = [direction === "desc" ? `${name}:desc` : name];
    if (found.some((known) => known.fields.join() === fields.join())) continue;
    found.push({ fields, why: `view “${view.name}” ${first ? "sorts" : "filters"} on ${name}` });
  }
  return found;
}

/** How far a build is, 0 to 1, from Postgres's counters (blocks, then tuples). */
export function buildShare(build: Schemas["IndexBuild"]): number {
  if (build.blocks_total > 0 && build.blocks_done < build.blocks_total) return build.blocks_done / build.blocks_total / 2;
  if (build.tuples_total > 0) return 0.5 + build.tuples_done / build.tuples_total / 2;
  return 0;
}

export function Indexes({ baseId, table, changed }: { baseId: string; table: Table; changed: () => Promise<unknown> }) {
  const path = { baseId, table: table.name };
  const listed = useLoaded(async () => (await client()).call("listIndexes", { path }), [baseId, table.name]);
  const views = useLoaded(async () => {
    const api = await client();
    const summaries = await api.call("listViews", { path: { baseId } });
    const specs = await Promise.all(summaries.data.map((view) => api.call("getView", { path: { baseId, view: view.name } })));
    return specs.map((view) => view.spec);
  }, [baseId]);
  const [fields, setFields] = useState("");
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // While a build runs, its progress is read every few hundred milliseconds.
  useEffect(() => {
    if (!adding) return;
    const timer = setInterval(() => void listed.reload(), 300);
    return () => clearInterval(timer);
  }, [adding, listed.reload]);

  async function add(wanted: string[]) {
    setError(null);
    setAdding(true);
    try {
      await (await client()).call("addIndex", { path, body: { fields: wanted } });
      setFields("");
      await changed();
    } catch (failure) {
      setError(failure);
    } finally {
      setAdding(false);
      void listed.reload();
    }
  }

  async function drop(index: string) {
    setError(null);
    try {
      await (await client()).call("dropIndex", { path: { ...path, index } });
      await changed();
      void listed.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  // The views' indexes, then the ones slow lists would have used.
  const offered = suggestions(table, views.data ?? []);
  for (const slow of listed.data?.suggested ?? []) {
    if (offered.some((known) => known.fields.join() === slow.fields.join())) continue;
    offered.push({ fields: slow.fields, why: `${slow.lists} slow list(s) used it, the slowest taking ${slow.slowest_ms} ms` });
  }
  return (
    <section aria-label="Indexes">
      <h3>Indexes</h3>
      <p className="hint">
        An index makes the lists that sort or filter on its fields fast. It is built without stopping reads and writes;
        unique fields and links have theirs already.
      </p>
      <ul data-testid="indexes">
        {table.indexes.map((index) => (
          <li key={index.name}>
            <strong>{index.name}</strong>: {index.fields.join(", ")}{" "}
            <button type="button" aria-label={`Drop index ${index.name}`} onClick={() => void drop(index.name)}>Drop</button>
          </li>
        ))}
        {table.indexes.length === 0 && <li className="hint">No index added yet.</li>}
      </ul>
      {listed.data?.building.map((build, n) => (
        <div key={n} role="status" data-testid="index-build">
          Building: {build.phase}
          {build.lockers_total > 0 && ` (waiting for ${build.lockers_total - build.lockers_done} transaction(s) to finish)`}{" "}
          <progress max={1} value={buildShare(build)} aria-label="Index build progress" />
        </div>
      ))}
      {offered.map((suggestion) => (
        <p key={suggestion.fields.join()} className="suggestion" data-testid="index-suggestion">
          Suggested: an index on {suggestion.fields.join(", ")}, because {suggestion.why}.{" "}
          <button type="button" disabled={adding} onClick={() => void add(suggestion.fields)}>Add it</button>
        </p>
      ))}
      <form
        className="inline"
        aria-label="Add an index"
        onSubmit={(event) => {
          event.preventDefault();
          void add(fields.split(",").map((part) => part.trim()).filter(Boolean));
        }}
      >
        <label>
          Fields, in order{" "}
          <input value={fields} onChange={(event) => setFields(event.target.value)} placeholder="amount:desc, region" required />
        </label>{" "}
        <button type="submit" disabled={adding}>{adding ? "Building…" : "Add index"}</button>
      </form>
      <Problem error={error ?? listed.error ?? views.error} />
    </section>
  );
}
