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
import type { ApiRecord, Schemas } from "@nclcdbaas/sdk";
import { useCallback, useEffect, useMemo, useState } from "react";
import { SYSTEM_COLUMNS, cellOf, valueOf, type Cell } from "./cells";
import { Problem } from "./Problem";
import { Rows } from "./rows";
import { client } from "./session";

type Table = Schemas["Table"];

/** Records per request; the grid asks for a page beyond what the viewport shows. */
const PAGE = 200;

const noSelection: GridSelection = { columns: CompactSelection.empty(), rows: CompactSelection.empty() };

function drawn(cell: Cell, readOnly: boolean): GridCell {
  const allowOverlay = cell.editable && !readOnly;
  switch (cell.kind) {
    case "number":
      return { kind: GridCellKind.Number, data: cell.data, displayData: cell.data?.toString() ?? "", allowOverlay };
    case "boolean":
      return { kind: GridCellKind.Boolean, data: cell.data, allowOverlay: false, readonly: readOnly };
    case "text":
      return { kind: GridCellKind.Text, data: cell.data, displayData: cell.data, allowOverlay };
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
    default:
      return null;
  }
}

export function Grid({ baseId, table, readOnly }: { baseId: string; table: Table; readOnly: boolean }) {
  const [generation, setGeneration] = useState(0);
  const rows = useMemo(
    () =>
      new Rows<ApiRecord>(async (cursor) => {
        const api = await client(baseId);
        return api.records.list({ table: table.name, limit: PAGE, cursor });
      }),
    [baseId, table.name, generation],
  );
  const [count, setCount] = useState(0);
  const [version, setVersion] = useState(0);
  const [selection, setSelection] = useState<GridSelection>(noSelection);
  const [error, setError] = useState<unknown>(null);

  const reach = useCallback(
    (upTo: number) =>
      rows.ensure(upTo).then(
        () => setCount(rows.rows.length),
        (failure: unknown) => setError(failure),
      ),
    [rows],
  );
  useEffect(() => {
    setCount(0);
    void reach(PAGE);
  }, [reach]);

  const columns: GridColumn[] = useMemo(
    () => [
      ...table.fields.map((field) => ({ id: field.name, title: field.name, width: 180 })),
      ...SYSTEM_COLUMNS.map((name) => ({ id: name, title: name, width: 200 })),
    ],
    [table],
  );

  const getCellContent = useCallback(
    ([column, row]: Item): GridCell => {
      const record = rows.rows[row];
      if (!record) return { kind: GridCellKind.Loading, allowOverlay: false };
      const field = table.fields[column];
      if (field) return drawn(cellOf(field.type, record.values[field.name]), readOnly);
      const system = String(record[SYSTEM_COLUMNS[column - table.fields.length]] ?? "");
      return { kind: GridCellKind.Text, data: system, displayData: system, allowOverlay: false, readonly: true };
    },
    // `version` redraws the grid after an edit changed a row in place.
    [rows, table, readOnly, version],
  );

  async function write(run: () => Promise<void>) {
    setError(null);
    try {
      await run();
    } catch (failure) {
      setError(failure);
    }
  }

  const onCellEdited = ([column, row]: Item, value: EditableGridCell) => {
    const field = table.fields[column];
    const record = rows.rows[row];
    const cell = edited(value);
    if (!field || !record || !cell) return;
    void write(async () => {
      const api = await client(baseId);
      const updated = await api.records.update({
        table: table.name,
        id: record.id,
        values: { [field.name]: valueOf(field.type, cell) },
      });
      rows.rows[row] = updated;
      setVersion((current) => current + 1);
    });
  };

  const selected = selection.rows.toArray().map((row) => rows.rows[row]?.id).filter((id): id is string => !!id);

  return (
    <div className="grid">
      <div className="toolbar">
        {!readOnly && (
          <button
            type="button"
            onClick={() =>
              void write(async () => {
                const api = await client(baseId);
                await api.records.create({ table: table.name, values: {} });
                setGeneration((current) => current + 1);
              })
            }
          >
            Add record
          </button>
        )}
        {!readOnly && selected.length > 0 && (
          <button
            type="button"
            onClick={() =>
              void write(async () => {
                const api = await client(baseId);
                await api.records.batchDelete({ table: table.name, ids: selected });
                setSelection(noSelection);
                setGeneration((current) => current + 1);
              })
            }
          >
            Delete {selected.length} selected
          </button>
        )}
        <span className="status" data-testid="grid-status">
          {count} records{rows.complete ? "" : " loaded, more below"}
        </span>
      </div>
      <Problem error={error} />
      <DataEditor
        columns={columns}
        rows={count}
        getCellContent={getCellContent}
        onCellEdited={readOnly ? undefined : onCellEdited}
        onVisibleRegionChanged={(range: Rectangle) => void reach(range.y + range.height + PAGE)}
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
