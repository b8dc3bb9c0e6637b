// The grid's cells for values picked rather than typed: a date, a moment (in UTC, as the API
// answers), one of a single select's options, or any of a multi select's. Drawn as text by
// the grid; edited in the grid's overlay with the browser's own date, time and select controls.

import { GridCellKind, drawTextCell, type CustomCell, type CustomRenderer } from "@glideapps/glide-data-grid";
import { momentInput, momentOf, pasted, pickedText, type Cell } from "./cells";

type Picked = Extract<Cell, { kind: "picked" }>;
export type PickedCell = CustomCell<Picked & { label: string }>;

/** The grid cell of a picked value of the field `label`. */
export const pickedCell = (cell: Picked, label: string, readOnly: boolean): PickedCell => ({
  kind: GridCellKind.Custom,
  data: { ...cell, label },
  copyData: pickedText(cell),
  allowOverlay: cell.editable && !readOnly,
  readonly: readOnly,
});

type EditorProps = {
  value: PickedCell;
  onChange: (cell: PickedCell) => void;
};

function PickedEditor({ value, onChange }: EditorProps) {
  const cell = value.data;
  const set = (data: Picked["data"]) => onChange({ ...value, data: { ...cell, data }, copyData: pickedText({ ...cell, data }) });
  switch (cell.type) {
    case "date":
      return (
        <input type="date" autoFocus aria-label={cell.label} value={typeof cell.data === "string" ? cell.data : ""}
          onChange={(event) => set(event.target.value || null)} />
      );
    case "datetime":
      return (
        <label className="picker">
          <input type="datetime-local" step={1} autoFocus aria-label={`${cell.label} (UTC)`}
            value={momentInput(typeof cell.data === "string" ? cell.data : null)}
            onChange={(event) => set(momentOf(event.target.value))} />{" "}
          UTC
        </label>
      );
    case "single_select":
      return (
        <select autoFocus aria-label={cell.label} value={typeof cell.data === "string" ? cell.data : ""}
          onChange={(event) => set(event.target.value || null)}>
          <option value="">(empty)</option>
          {cell.options.map((option) => <option key={option}>{option}</option>)}
        </select>
      );
    case "multi_select": {
      const chosen = Array.isArray(cell.data) ? cell.data : [];
      return (
        <fieldset className="picker" aria-label={cell.label}>
          {cell.options.map((option, index) => (
            <label key={option}>
              <input type="checkbox" autoFocus={index === 0} checked={chosen.includes(option)}
                onChange={() => set(cell.options.filter((other) => (other === option) !== chosen.includes(other)))} />{" "}
              {option}
            </label>
          ))}
        </fieldset>
      );
    }
  }
}

export const pickedRenderer: CustomRenderer<PickedCell> = {
  kind: GridCellKind.Custom,
  isMatch: (cell): cell is PickedCell => (cell.data as Partial<Picked>).kind === "picked",
  draw: (args, cell) => drawTextCell(args, pickedText(cell.data), cell.contentAlign),
  provideEditor: () => ({ editor: PickedEditor }),
  onPaste: (text, data) => {
    const cell = pasted(data, text);
    return cell ? { ...data, ...cell } : undefined;
  },
  onDelete: (cell) => ({ ...cell, data: { ...cell.data, data: null }, copyData: "" }),
};
