// The grid's cells for values picked rather than typed: a date, a moment (in UTC, as the API
// answers), one of a single select's options, or any of a multi select's. Drawn as text by
// the grid; edited in the grid's overlay with the browser's own date, time and select controls.
// A link's cell shows the linked record's display value and is edited with a searchable
// picker of the target's records.

import { GridCellKind, drawTextCell, type CustomCell, type CustomRenderer, type ProvideEditorComponent } from "@glideapps/glide-data-grid";
import type { ApiRecord, ListOptions, Schemas } from "@nclcdbaas/sdk";
import { useEffect, useState, type KeyboardEvent } from "react";
import { momentInput, momentOf, pasted, pickedText, type Cell } from "./cells";
import { pickerQuery, titleOf } from "./links";
import { Problem } from "./Problem";

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

type Linked = Extract<Cell, { kind: "link" }>;
/** What a link's picker needs of its field: its name, its target and the field that names the target's records. */
export interface LinkTo {
  label: string;
  target: string;
  display?: Pick<Schemas["FieldInfo"], "name" | "type">;
  required: boolean;
}
export type LinkCell = CustomCell<Linked & LinkTo>;
/** The records of `table` that a query answers (the grid's session and base). */
export type Search = (table: string, query: Omit<ListOptions, "table">) => Promise<ApiRecord[]>;

/** Waits this long after the last key before searching. */
const DEBOUNCE_MS = 250;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The grid cell of a link of the field `to.label`. */
export const linkCell = (cell: Linked, to: LinkTo, readOnly: boolean): LinkCell => ({
  kind: GridCellKind.Custom,
  data: { ...cell, ...to },
  copyData: cell.text,
  allowOverlay: cell.editable && !readOnly,
  readonly: readOnly,
});

function LinkEditor({ value, onFinishedEditing, search }: Parameters<ProvideEditorComponent<LinkCell>>[0] & { search: Search }) {
  const cell = value.data;
  const [text, setText] = useState("");
  const [found, setFound] = useState<ApiRecord[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      setError(null);
      search(cell.target, pickerQuery(cell.display, text)).then(
        (records) => current && setFound(records),
        (failure: unknown) => current && setError(failure),
      );
    }, text ? DEBOUNCE_MS : 0);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);
  const choose = (id: string | null, title: string) =>
    onFinishedEditing({ ...value, data: { ...cell, data: id, text: title }, copyData: title });
  // The grid's overlay takes Enter and Tab to close the editor: here arrows and Tab move
  // between the search box and the choices, Enter picks (the first match from the box).
  const keys = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") return;
    const items = [...event.currentTarget.querySelectorAll<HTMLElement>("input, button")];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      items[Math.min(Math.max(at + (event.key === "ArrowDown" ? 1 : -1), 0), items.length - 1)]?.focus();
    } else if (event.key === "Enter" && at === 0 && found?.[0]) {
      event.preventDefault();
      choose(found[0].id, titleOf(found[0], cell.display?.name));
    }
    event.stopPropagation();
  };
  return (
    <div className="picker link-picker" role="group" aria-label={`Pick ${cell.label}`} onKeyDown={keys}>
      <input type="search" autoFocus aria-label={`Search ${cell.target}`} value={text}
        placeholder={cell.display ? `${cell.display.name} contains…` : "search"} onChange={(event) => setText(event.target.value)} />
      <Problem error={error} />
      <ul aria-label={`${cell.target} records`}>
        {!cell.required && cell.data !== null && (
          <li><button type="button" className="link" onClick={() => choose(null, "")}>Clear {cell.label}</button></li>
        )}
        {found?.map((record) => {
          const title = titleOf(record, cell.display?.name);
          return (
            <li key={record.id}>
              <button type="button" className="link" aria-current={record.id === cell.data ? "true" : undefined}
                onClick={() => choose(record.id, title)}>
                {title}
              </button>
            </li>
          );
        })}
        {found?.length === 0 && <li>No {cell.target} records{text ? ` match '${text}'` : ""}.</li>}
        {found === null && !error && <li>Searching…</li>}
      </ul>
    </div>
  );
}

/** The renderer of link cells, whose picker lists records with `search`. */
export function linkRenderer(search: Search): CustomRenderer<LinkCell> {
  const editor = (props: Parameters<ProvideEditorComponent<LinkCell>>[0]) => <LinkEditor {...props} search={search} />;
  return {
    kind: GridCellKind.Custom,
    isMatch: (cell): cell is LinkCell => (cell.data as Partial<Linked>).kind === "link",
    draw: (args, cell) => drawTextCell(args, cell.data.text, cell.contentAlign),
    provideEditor: () => ({ editor }),
    // A pasted id is taken (the API checks that it exists); a pasted name is not an id.
    onPaste: (text, data) => (UUID.test(text.trim()) ? { ...data, data: text.trim(), text: text.trim() } : undefined),
    onDelete: (cell) => ({ ...cell, data: { ...cell.data, data: null, text: "" }, copyData: "" }),
  };
}
