// A condition as the console builds it without JSON: rows of field, operator and value that
// must all hold (a policy's value may be the caller's), turned into the records API's `where`.
// A condition the rows cannot show is kept as it is until replaced.

import type { Schemas } from "@nclcdbaas/sdk";
import { operatorsOf, type Compiler } from "./checks";
import { choiceOf, conditionText, operatorChoices, rowsOf, whereOf, withChoice, type ConditionRow, type Variable, type Where } from "./conditions";

type FieldType = Schemas["FieldType"];

export interface Column {
  name: string;
  type: FieldType;
}

/** A condition being edited: builder rows, or one the builder cannot show (kept as it is until replaced). */
export interface Draft {
  rows: ConditionRow[] | null;
  kept?: Where;
}
export const draftOf = (where: Where | undefined): Draft => ({ rows: rowsOf(where), kept: where });
export const typesOf = (columns: readonly Column[]) => Object.fromEntries(columns.map((column) => [column.name, column.type]));
export const builtWhere = (draft: Draft, columns: readonly Column[]) => (draft.rows ? whereOf(draft.rows, typesOf(columns)) : draft.kept);

/** Rows of field, operator and value, all of which must hold; a policy's value may be the caller's. */
export function ConditionBuilder({ legend, draft, setDraft, columns, compiled, variables = [] }: {
  legend: string;
  draft: Draft;
  setDraft: (draft: Draft) => void;
  columns: readonly Column[];
  compiled: Compiler | null;
  variables?: Variable[];
}) {
  if (draft.rows === null) {
    return (
      <fieldset>
        <legend>{legend}</legend>
        <p>{draft.kept ? conditionText(draft.kept) : ""} <span className="hint">(kept as it is: the builder cannot show it)</span></p>
        <button type="button" onClick={() => setDraft({ rows: [] })}>Replace with a new condition</button>
      </fieldset>
    );
  }
  const rows = draft.rows;
  const set = (index: number, row: ConditionRow) => setDraft({ rows: rows.map((old, at) => (at === index ? row : old)) });
  return (
    <fieldset>
      <legend>{legend}</legend>
      {rows.map((row, index) => {
        const type = columns.find((column) => column.name === row.field)?.type;
        const ops = compiled && type ? operatorsOf(compiled, type) : [row.op];
        const takesVariable = variables.length > 0 && (row.op === "eq" || row.op === "ne") && ["text", "email", "uuid"].includes(type ?? "");
        return (
          <div className="row" key={index}>
            {index > 0 && <span className="hint">and</span>}
            <select aria-label="Field" value={row.field} onChange={(event) => set(index, { field: event.target.value, op: "eq", value: "" })}>
              {columns.map((column) => <option key={column.name}>{column.name}</option>)}
            </select>
            <select aria-label="Operator" value={choiceOf(row)} onChange={(event) => set(index, withChoice(row, event.target.value))}>
              {operatorChoices(ops).map((choice) => <option key={choice.value} value={choice.value}>{choice.label}</option>)}
            </select>
            {takesVariable && (
              <select
                aria-label="Value from"
                value={row.variable ?? ""}
                onChange={(event) => set(index, { field: row.field, op: row.op, value: row.value, ...(event.target.value ? { variable: event.target.value as Variable } : {}) })}
              >
                <option value="">a value</option>
                {variables.map((variable) => <option key={variable} value={variable}>the caller's {variable}</option>)}
              </select>
            )}
            {row.op !== "is_null" && !(takesVariable && row.variable) && (
              <input
                aria-label="Value"
                value={row.value}
                placeholder={row.op === "in" || row.op === "between" ? "a,b" : "value"}
                onChange={(event) => set(index, { ...row, value: event.target.value })}
              />
            )}
            <button type="button" aria-label={`Remove ${legend} condition ${index + 1}`} onClick={() => setDraft({ rows: rows.filter((_, at) => at !== index) })}>
              Remove
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => setDraft({ rows: [...rows, { field: columns[0]?.name ?? "id", op: "eq", value: "" }] })}>
        Add condition
      </button>
    </fieldset>
  );
}
