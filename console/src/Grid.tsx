// A table's records in Glide Data Grid: pages fetched by keyset cursor as the viewport moves;
// a filter builder offering the operators the compiler allows for each type; sorts; columns
// hidden and reordered (kept per table in this browser); edits checked by the compiler before
// they are sent and written with If-Match, so an edit that lost a race shows the current
// value and lets the person choose; dates, moments and options picked (pickers.tsx); links shown
// by the linked record's display value (read with `include=`) and picked from a search of the
// target's records; a row's related records (Related.tsx); copy and paste; add, duplicate and
// delete rows; and the rows kept up to date as anyone changes the table (its event stream,
// followed from the first page's position).

import {
  CompactSelection,
  DataEditor,
  GridCellKind,
  type EditableGridCell,
  type GridCell,
  type GridColumn,
  type GridSelection,
  type Item,
  type Rectangle,
} from "@glideapps/glide-data-grid";
import { ApiError, type ApiRecord, type Present, type Schemas } from "@nclcdbaas/sdk";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Attachments } from "./Attachments";
import { SYSTEM_COLUMNS, cellOf, valueOf, valueText, type Cell } from "./cells";
import { compiler, operatorsOf, valueProblem, type Compiler } from "./checks";
import { listQuery, moved, shifted, shownColumns, type Condition, type Sort } from "./gridQuery";
import { displayOf, includesOf, linkedOf, targetOf, titleOf } from "./links";
import { linkCell, linkRenderer, pickedCell, pickedRenderer, type LinkTo, type Search } from "./pickers";
import { ExportButton } from "./Import";
import { Problem } from "./Problem";
import { Related } from "./Related";
import { applyPresence, initials } from "./presence";
import { Rows } from "./rows";
import { client, myActor } from "./session";

type Table = Schemas["Table"];
type Field = Schemas["FieldInfo"];

/** Records per request; the grid asks for a page beyond what the viewport shows. */
const PAGE = 200;

const noSelection: GridSelection = { columns: CompactSelection.empty(), rows: CompactSelection.empty() };

function drawn(cell: Cell, to: LinkTo, gridReadOnly: boolean): GridCell {
  const readOnly = gridReadOnly || !cell.editable;
  const allowOverlay = !readOnly;
  switch (cell.kind) {
    case "picked":
      return pickedCell(cell, to.label, readOnly);
    case "link":
      return linkCell(cell, to, readOnly);
    case "number":
      return { kind: GridCellKind.Number, data: cell.data, displayData: cell.data?.toString() ?? "", allowOverlay };
    case "boolean":
      return { kind: GridCellKind.Boolean, data: cell.data, allowOverlay: false, readonly: readOnly };
    case "text":
      return { kind: GridCellKind.Text, data: cell.data, displayData: cell.data, allowOverlay };
    case "images":
      return { kind: GridCellKind.Image, data: cell.data, displayData: cell.data, allowOverlay: false, readonly: true };
  }
}

function edited(value: EditableGridCell): Cell | null {
  switch (value.kind) {
    case GridCellKind.Number:
      return { kind: "number", data: value.data, editable: true };
    case GridCellKind.Boolean:
      return { kind: "boolean", data: value.data === true ? true : value.data === false ? false : null, editable: true };
    case GridCellKind.Text:
      return { kind: "text", data: value.data, editable: true };
    case GridCellKind.Custom: {
      const data = value.data as Partial<Cell>;
      return data.kind === "picked" || data.kind === "link" ? (data as Cell) : null;
    }
    default:
      return null;
  }
}

/** A column layout kept per table in this browser. */
interface Layout {
  order: string[];
  hidden: string[];
}
const layoutKey = (table: Table) => `nclcdbaas.columns.${table.id}`;
function savedLayout(table: Table): Layout {
  try {
    const layout = JSON.parse(localStorage.getItem(layoutKey(table)) ?? "null") as Layout | null;
    return layout && Array.isArray(layout.order) && Array.isArray(layout.hidden) ? layout : { order: [], hidden: [] };
  } catch {
    return { order: [], hidden: [] };
  }
}

/** An edit that lost a race: what the person typed, and the record as it is now. */
interface Conflict {
  row: number;
  field: Field;
  mine: unknown;
  current: ApiRecord & { etag?: string };
}

/**
 * An edit that was not saved, kept for the person: what they typed and why it failed; it may
 * be sent again when the API refused or failed it (not when the check in the browser did).
 */
interface Unsaved {
  row: number;
  field: Field;
  mine: unknown;
  showing: unknown;
  error: unknown;
  retry: boolean;
}

export function Grid({ baseId, table, tables, preset, readOnly }: {
  baseId: string;
  table: Table;
  /** Every table of the base: what links point at. */
  tables: Table[];
  /** The filter the grid opens with (a link from a related record). */
  preset?: Condition[];
  readOnly: boolean;
}) {
  const [conditions, setConditions] = useState<Condition[]>(preset ?? []);
  const [sort, setSort] = useState<Sort[]>([]);
  const [generation, setGeneration] = useState(0);
  const [compiled, setCompiled] = useState<Compiler | null>(null);
  const [layout, setLayout] = useState<Layout>(() => savedLayout(table));
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [unsaved, setUnsaved] = useState<Unsaved | null>(null);
  const names = useMemo(() => [...table.fields.map((field) => field.name), ...SYSTEM_COLUMNS], [table]);
  const visible = shownColumns(names, layout.order, layout.hidden);
  // Each link shown is read with its linked record, to show it by name.
  const include = includesOf(table.fields, visible);
  const query = listQuery(conditions, sort);
  const queryKey = JSON.stringify([query, include]);
  const rows = useMemo(
    () =>
      new Rows<ApiRecord>(async (cursor) => {
        const api = await client(baseId);
        return api.records.list({ table: table.name, limit: PAGE, cursor, ...query, include });
      }),
    [baseId, table.name, generation, queryKey],
  );
  const search: Search = async (target, options) => (await (await client(baseId)).records.list({ table: target, ...options })).data;
  const renderers = useMemo(() => [pickedRenderer, linkRenderer(search)], [baseId]);
  /** What a field's cell needs beyond its value: for a link, its target and the field naming its records. */
  const linksTo = useMemo(
    () =>
      new Map(table.fields.map((field): [string, LinkTo] => {
        const display = field.link ? displayOf(tables, field) : undefined;
        return [field.name, {
          label: field.name,
          target: (field.link && targetOf(tables, field)?.name) ?? field.link?.table ?? "",
          display: display && { name: display.name, type: display.type },
          required: field.required,
        }];
      })),
    [table, tables],
  );
  const [count, setCount] = useState(0);
  const [version, setVersion] = useState(0);
  const [selection, setSelection] = useState<GridSelection>(noSelection);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void compiler().then(setCompiled, setError), []);

  // A page of an earlier filter or sort may arrive after the current one's: only the rows
  // of the current query may set what the grid shows.
  const currentRows = useRef(rows);
  currentRows.current = rows;
  const reach = useCallback(
    (upTo: number) =>
      rows.ensure(upTo).then(
        () => currentRows.current === rows && setCount(rows.rows.length),
        (failure: unknown) => currentRows.current === rows && setError(failure),
      ),
    [rows],
  );
  useEffect(() => {
    setCount(0);
    void reach(PAGE);
  }, [reach]);

  // Live: the table's changes after the first page (its position), with the grid's filters,
  // applied to the rows loaded: a changed row is redrawn, a deleted one goes, a new one is
  // added at the end when every row is loaded in the default order, and anything else (a
  // record new to the filter, beyond the rows loaded) is counted for a refresh.
  const [arrived, setArrived] = useState(0);
  const [present, setPresent] = useState<Present[]>([]);
  useEffect(() => {
    setArrived(0);
    const stop = new AbortController();
    const live = async () => {
      await rows.ensure(1);
      const api = await client(baseId);
      const events = api.records.events(
        { table: table.name, filter: query.filter },
        {
          signal: stop.signal,
          lastEventId: rows.position,
          onPresence: (change) => setPresent((people) => applyPresence(people, change)),
        },
      );
      for await (const event of events) {
        if (currentRows.current !== rows) return;
        const index = rows.rows.findIndex((record) => record.id === event.id);
        if (event.type === "record.deleted") {
          if (index < 0) continue;
          rows.rows.splice(index, 1);
          setCount(rows.rows.length);
          continue;
        }
        const placed = index >= 0 || (event.type === "record.created" && rows.complete && !query.sort);
        if (!placed || !event.record) {
          setArrived((current) => current + 1);
          continue;
        }
        // Events carry no linked records: a row showing links is read again with them.
        const record: ApiRecord = include.length
          ? await api.records.get({ table: table.name, id: event.id, include }).catch(() => event.record as ApiRecord)
          : { ...(event.record as ApiRecord), included: index >= 0 ? rows.rows[index].included : undefined };
        if (index >= 0) rows.rows[index] = record;
        else rows.rows.push(record);
        setCount(rows.rows.length);
        setVersion((current) => current + 1);
      }
    };
    live().catch((failure: unknown) => {
      if (!stop.signal.aborted) setError(failure);
    });
    return () => stop.abort();
  }, [rows]);

  const changeLayout = (next: Layout) => {
    setLayout(next);
    localStorage.setItem(layoutKey(table), JSON.stringify(next));
  };
  const columns: GridColumn[] = visible.map((name) => ({ id: name, title: name, width: 180 }));
  const fieldAt = (column: number) => table.fields.find((field) => field.name === visible[column]);

  const getCellContent = useCallback(
    ([column, row]: Item): GridCell => {
      const record = rows.rows[row];
      if (!record) return { kind: GridCellKind.Loading, allowOverlay: false };
      const field = fieldAt(column);
      if (field) {
        const to = linksTo.get(field.name) ?? { label: field.name, target: "", required: false };
        const linked = field.type === "link" ? linkedOf(record, field.name) : undefined;
        return drawn(cellOf(field, record.values[field.name], linked ? titleOf(linked, to.display?.name) : undefined), to, readOnly);
      }
      const system = String(record[visible[column] as (typeof SYSTEM_COLUMNS)[number]] ?? "");
      return { kind: GridCellKind.Text, data: system, displayData: system, allowOverlay: false, readonly: true };
    },
    // `version` redraws the grid after an edit changed a row in place.
    [rows, table, readOnly, version, visible.join(), linksTo],
  );

  async function write(run: () => Promise<void>) {
    setError(null);
    try {
      await run();
    } catch (failure) {
      setError(failure);
    }
  }

  /**
   * Writes `value` if the record still holds what the grid showed; otherwise asks the person.
   * A failed write keeps the edit for them to send again or discard.
   */
  async function save(row: number, field: Field, value: unknown, showing: unknown) {
    setError(null);
    setUnsaved(null);
    try {
      const record = rows.rows[row];
      if (!record) return;
      const api = await client(baseId);
      const current = await api.records.get({ table: table.name, id: record.id, include });
      if (JSON.stringify(current.values[field.name] ?? null) !== JSON.stringify(showing ?? null)) {
        return setConflict({ row, field, mine: value, current });
      }
      await put(row, field, value, current.etag);
    } catch (failure) {
      setUnsaved({ row, field, mine: value, showing, error: failure, retry: true });
    }
  }

  async function put(row: number, field: Field, value: unknown, etag: string | undefined) {
    const api = await client(baseId);
    const id = rows.rows[row].id;
    try {
      const updated = await api.records.update({ table: table.name, id, values: { [field.name]: value }, ifMatch: etag });
      // A write answers without `included`: the links shown stay, and a changed one is read again.
      const included = field.type === "link" && include.length
        ? await api.records.get({ table: table.name, id, include }).then((fresh) => fresh.included, () => null)
        : rows.rows[row].included;
      rows.rows[row] = { ...updated, included };
      setVersion((current) => current + 1);
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 412)) throw failure;
      setConflict({ row, field, mine: value, current: await api.records.get({ table: table.name, id, include }) });
    }
  }

  const onCellEdited = ([column, row]: Item, value: EditableGridCell) => {
    const field = fieldAt(column);
    const record = rows.rows[row];
    const cell = edited(value);
    if (!field || !record || !cell) return;
    const showing = record.values[field.name];
    const refused = (mine: unknown, message: string) =>
      setUnsaved({ row, field, mine, showing, error: new Error(message), retry: false });
    let json: unknown;
    try {
      json = valueOf(field.type, cell);
    } catch {
      return refused(cell.data, `'${field.name}' takes JSON: the value typed is not valid JSON.`);
    }
    const problem = compiled && valueProblem(compiled, field, json);
    if (problem) return refused(json, problem);
    void save(row, field, json, showing);
  };

  const selected = selection.rows.toArray().map((row) => rows.rows[row]).filter((record): record is ApiRecord => !!record);
  const refresh = () => setGeneration((current) => current + 1);
  // The record of the one row selected, or of the cell in focus.
  const focused = selected.length === 1 ? selected[0] : selection.current ? rows.rows[selection.current.cell[1]] : undefined;
  const [related, setRelated] = useState<ApiRecord | null>(null);
  const [attached, setAttached] = useState<ApiRecord | null>(null);

  return (
    <div className="grid">
      <div className="toolbar">
        {!readOnly && (
          <button
            type="button"
            onClick={() =>
              void write(async () => {
                await (await client(baseId)).records.create({ table: table.name, values: {} });
                refresh();
              })
            }
          >
            Add record
          </button>
        )}
        {!readOnly && selected.length > 0 && (
          <>
            <button
              type="button"
              onClick={() =>
                void write(async () => {
                  const items = selected.map((record) => ({ values: record.values as Record<string, unknown> }));
                  await (await client(baseId)).records.batchUpsert({ table: table.name, items });
                  setSelection(noSelection);
                  refresh();
                })
              }
            >
              Duplicate {selected.length} selected
            </button>
            <button
              type="button"
              onClick={() =>
                void write(async () => {
                  await (await client(baseId)).records.batchDelete({ table: table.name, ids: selected.map((record) => record.id) });
                  setSelection(noSelection);
                  refresh();
                })
              }
            >
              Delete {selected.length} selected
            </button>
          </>
        )}
        {table.linked_from.length > 0 && (
          <button type="button" disabled={!focused} aria-expanded={related !== null}
            onClick={() => setRelated(related && related.id === focused?.id ? null : focused ?? null)}>
            Related records
          </button>
        )}
        {table.fields.some((field) => field.type === "file") && (
          <button type="button" disabled={!focused} aria-expanded={attached !== null}
            onClick={() => setAttached(attached && attached.id === focused?.id ? null : focused ?? null)}>
            Attachments
          </button>
        )}
        <ExportButton
          baseId={baseId}
          table={table.name}
          query={{ ...query, fields: visible.filter((name) => table.fields.some((field) => field.name === name)) }}
        />
        <Others present={present} />
        <span className="status" data-testid="grid-status">
          {count} records{rows.complete ? "" : " loaded, more below"}
        </span>
        {arrived > 0 && (
          <button type="button" data-testid="grid-arrived" onClick={refresh}>
            {arrived} {arrived === 1 ? "change" : "changes"} elsewhere: refresh
          </button>
        )}
      </div>
      <div className="toolbar wrap">
        <Conditions table={table} compiled={compiled} conditions={conditions} setConditions={setConditions} />
        <Sorts names={names} sort={sort} setSort={setSort} />
        <details>
          <summary>Columns ({visible.length} of {names.length})</summary>
          <ul className="columns" aria-label="Columns">
            {shownColumns(names, layout.order, []).map((name, index, all) => (
              <li key={name}>
                <label>
                  <input
                    type="checkbox"
                    checked={!layout.hidden.includes(name)}
                    onChange={() =>
                      changeLayout({
                        ...layout,
                        hidden: layout.hidden.includes(name) ? layout.hidden.filter((other) => other !== name) : [...layout.hidden, name],
                      })
                    }
                  />{" "}
                  {name}
                </label>{" "}
                <button type="button" aria-label={`Move ${name} left`} disabled={index === 0}
                  onClick={() => changeLayout({ ...layout, order: shifted(names, layout.order, name, -1) })}>←</button>
                <button type="button" aria-label={`Move ${name} right`} disabled={index === all.length - 1}
                  onClick={() => changeLayout({ ...layout, order: shifted(names, layout.order, name, 1) })}>→</button>
              </li>
            ))}
          </ul>
        </details>
      </div>
      <Problem error={error} />
      {attached && (
        <Attachments baseId={baseId} table={table} record={attached} readOnly={readOnly} onChanged={refresh}
          onClose={() => setAttached(null)} />
      )}
      {related && <Related baseId={baseId} table={table} tables={tables} record={related} onClose={() => setRelated(null)} />}
      {unsaved && (
        <div className="preview" role="alert" aria-label="Edit not saved">
          <p>
            Your edit of <strong>{unsaved.field.name}</strong>, <code>{valueText(unsaved.mine, "(empty)")}</code>, was not
            saved{unsaved.retry ? "" : "; edit the cell again to change it"}.
          </p>
          <Problem error={unsaved.error} />
          <div className="actions">
            {unsaved.retry && (
              <button type="button" onClick={() => void save(unsaved.row, unsaved.field, unsaved.mine, unsaved.showing)}>
                Try again
              </button>
            )}
            <button type="button" onClick={() => setUnsaved(null)}>Discard my edit</button>
          </div>
        </div>
      )}
      {conflict && (
        <div className="preview" role="alert" aria-label="Edit conflict">
          <p>
            <strong>{conflict.field.name}</strong> of this record changed to <code>{valueText(conflict.current.values[conflict.field.name], "(empty)")}</code>{" "}
            since it was loaded. Your edit: <code>{valueText(conflict.mine, "(empty)")}</code>.
          </p>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                const { row, field, mine, current } = conflict;
                setConflict(null);
                put(row, field, mine, current.etag).catch((failure: unknown) =>
                  setUnsaved({ row, field, mine, showing: current.values[field.name], error: failure, retry: true }),
                );
              }}
            >
              Keep mine
            </button>
            <button
              type="button"
              onClick={() => {
                rows.rows[conflict.row] = conflict.current;
                setConflict(null);
                setVersion((current) => current + 1);
              }}
            >
              Keep the current value
            </button>
          </div>
        </div>
      )}
      <DataEditor
        columns={columns}
        rows={count}
        getCellContent={getCellContent}
        customRenderers={renderers}
        onCellEdited={readOnly ? undefined : onCellEdited}
        onVisibleRegionChanged={(range: Rectangle) => void reach(range.y + range.height + PAGE)}
        onColumnMoved={(from, to) => changeLayout({ ...layout, order: moved(names, layout.order, layout.hidden, from, to) })}
        getCellsForSelection
        onPaste={!readOnly}
        gridSelection={selection}
        onGridSelectionChange={setSelection}
        rowMarkers={readOnly ? "number" : "checkbox"}
        smoothScrollY
        width="100%"
        height={560}
      />
    </div>
  );
}

function Conditions({ table, compiled, conditions, setConditions }: {
  table: Table;
  compiled: Compiler | null;
  conditions: Condition[];
  setConditions: (conditions: Condition[]) => void;
}) {
  const columns = [...table.fields.map((field) => ({ name: field.name, type: field.type })),
    { name: "created_at", type: "datetime" as const }, { name: "updated_at", type: "datetime" as const }];
  const set = (index: number, patch: Partial<Condition>) =>
    setConditions(conditions.map((condition, at) => (at === index ? { ...condition, ...patch } : condition)));
  return (
    <fieldset className="compact" aria-label="Filter">
      <legend>Filter</legend>
      {conditions.map((condition, index) => {
        const type = columns.find((column) => column.name === condition.field)?.type;
        const ops = compiled && type ? operatorsOf(compiled, type) : [condition.op];
        return (
          <div className="row" key={index}>
            <select aria-label="Filter field" value={condition.field} onChange={(event) => set(index, { field: event.target.value, op: "eq" })}>
              {columns.map((column) => <option key={column.name}>{column.name}</option>)}
            </select>
            <select aria-label="Filter operator" value={condition.op} onChange={(event) => set(index, { op: event.target.value })}>
              {ops.map((op) => <option key={op}>{op}</option>)}
            </select>
            <input
              aria-label="Filter value"
              value={condition.value}
              placeholder={condition.op === "in" || condition.op === "between" ? "a,b" : condition.op === "is_null" ? "true" : type === "link" ? "record id" : "value"}
              onChange={(event) => set(index, { value: event.target.value })}
            />
            <button type="button" aria-label="Remove condition" onClick={() => setConditions(conditions.filter((_, at) => at !== index))}>×</button>
          </div>
        );
      })}
      <button type="button" disabled={columns.length === 0} onClick={() => setConditions([...conditions, { field: columns[0].name, op: "eq", value: "" }])}>
        Add condition
      </button>
    </fieldset>
  );
}

function Sorts({ names, sort, setSort }: { names: string[]; sort: Sort[]; setSort: (sort: Sort[]) => void }) {
  return (
    <fieldset className="compact" aria-label="Sort">
      <legend>Sort</legend>
      {sort.map((key, index) => (
        <div className="row" key={index}>
          <select
            aria-label="Sort field"
            value={key.field}
            onChange={(event) => setSort(sort.map((old, at) => (at === index ? { ...old, field: event.target.value } : old)))}
          >
            {names.map((name) => <option key={name}>{name}</option>)}
          </select>
          <select
            aria-label="Sort direction"
            value={key.descending ? "desc" : "asc"}
            onChange={(event) => setSort(sort.map((old, at) => (at === index ? { ...old, descending: event.target.value === "desc" } : old)))}
          >
            <option value="asc">ascending</option>
            <option value="desc">descending</option>
          </select>
          <button type="button" aria-label="Remove sort" onClick={() => setSort(sort.filter((_, at) => at !== index))}>×</button>
        </div>
      ))}
      <button type="button" onClick={() => setSort([...sort, { field: names[0], descending: false }])}>Add sort</button>
    </fieldset>
  );
}

/** The others following the table now, as avatars (each stream of the grid counts its viewer in). */
function Others({ present }: { present: Present[] }) {
  const me = myActor();
  const others = present.filter((person) => person.actor !== me);
  if (!others.length) return null;
  return (
    <span className="presence" role="group" aria-label="Also here" data-testid="presence">
      {others.map((person) => {
        const who = person.name ?? (person.actor.startsWith("token:") ? "an API token" : "a visitor");
        return (
          <span key={person.actor} className="avatar" title={`${who}, here since ${person.since}`} aria-label={who}>
            {initials(person.name)}
          </span>
        );
      })}
    </span>
  );
}
