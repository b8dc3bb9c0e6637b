// A record's related records, one click from its row: for each link of another table (or of
// this one) that points at its table (`linked_from`), the first records linking to it, read
// with `include=<table>.<field>` on the record, and the linking table's grid filtered to it.

import type { ApiRecord, Schemas } from "@nclcdbaas/sdk";
import { useLoaded } from "./hooks";
import { chunked, reverseOf, titleFieldOf, titleOf } from "./links";
import { hrefOf } from "./places";
import { Problem } from "./Problem";
import { client } from "./session";

type Table = Schemas["Table"];

export function Related({ baseId, table, tables, record, onClose }: {
  baseId: string;
  table: Table;
  tables: Table[];
  record: ApiRecord;
  onClose: () => void;
}) {
  const includes = table.linked_from.map((back) => back.include);
  const loaded = useLoaded(async () => {
    const api = await client(baseId);
    const reads = await Promise.all(chunked(includes).map((include) => api.records.get({ table: table.name, id: record.id, include })));
    return { ...record, included: Object.assign({}, ...reads.map((read) => read.included ?? {})) } as ApiRecord;
  }, [baseId, table.name, record.id, includes.join()]);
  const title = titleOf(record, titleFieldOf(tables, table)?.name);
  const grid = (item: string, field: string, id: string) =>
    hrefOf({ screen: "base", baseId, section: "tables", item, tab: "records", filter: [{ field, op: "eq", value: id }] });

  return (
    <section className="related" aria-label="Related records">
      <div className="toolbar">
        <h3>Records linking to {title}</h3>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      <Problem error={loaded.error} />
      {table.linked_from.map((back) => {
        const linking = tables.find((candidate) => candidate.name === back.table);
        const named = linking && titleFieldOf(tables, linking)?.name;
        const { data, has_more } = loaded.data ? reverseOf(loaded.data, back.include) : { data: [], has_more: false };
        return (
          <div key={back.include} data-testid={`related-${back.include}`}>
            <h4>{back.table} <span className="hint">by {back.field}</span></h4>
            {!loaded.data && !loaded.error && <p className="hint">Loading…</p>}
            {loaded.data && data.length === 0 && <p className="hint">No {back.table} records link to {title}.</p>}
            <ul>
              {data.map((linked) => (
                <li key={linked.id}><a href={grid(back.table, "id", linked.id)}>{titleOf(linked, named)}</a></li>
              ))}
            </ul>
            {has_more && <p className="hint">The first {data.length} are listed; the grid has them all.</p>}
            <a href={grid(back.table, back.field, record.id)}>Open {back.table} linked to {title}</a>
          </div>
        );
      })}
    </section>
  );
}
