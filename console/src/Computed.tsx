// Computed fields: a formula editor (field and function completion, the API's own type check
// as you type), and builders for lookups through a link and rollups over linking records.

import type { Schemas } from "@nclcdbaas/sdk";
import { useEffect, useRef, useState } from "react";
import { compiler, formulaCheck, formulaFunctions, type Compiler, type FormulaCheck } from "./checks";
import { Problem } from "./Problem";

type Table = Schemas["Table"];
type NewField = Schemas["NewField"];
type Kind = "formula" | "lookup" | "rollup";

const AGGREGATES: Array<{ value: Schemas["Aggregate"]; title: string; field: boolean }> = [
  { value: "count", title: "Count of records", field: false },
  { value: "sum", title: "Sum of", field: true },
  { value: "average", title: "Average of", field: true },
  { value: "min", title: "Smallest", field: true },
  { value: "max", title: "Largest", field: true },
  { value: "any", title: "Any record matches", field: false },
  { value: "all", title: "All records match", field: false },
];

/** The word being typed at `caret`, and where it starts. */
export function wordAt(text: string, caret: number): { word: string; start: number } {
  const match = /[A-Za-z_][A-Za-z0-9_]*$/.exec(text.slice(0, caret));
  return match ? { word: match[0], start: caret - match[0].length } : { word: "", start: caret };
}

/** Field and function names that complete `word` (functions end with `(`), at most eight. */
export function completions(word: string, fields: string[], functions: string[]): string[] {
  if (word === "") return [];
  const lower = word.toLowerCase();
  const names = [...fields, ...functions.map((name) => `${name}(`)];
  return names.filter((name) => name.toLowerCase().startsWith(lower) && name !== word).slice(0, 8);
}

export function ComputedForm({ baseId, table, tables, propose }: {
  baseId: string;
  table: Table;
  tables: Table[];
  /** Previews the new field (the schema change runs once the person applies it). */
  propose: (body: NewField) => void;
}) {
  const [kind, setKind] = useState<Kind>("formula");
  const [name, setName] = useState("");
  const [formula, setFormula] = useState("");
  const links = table.fields.filter((field) => field.type === "link" && !field.computed);
  const [link, setLink] = useState(links[0]?.name ?? "");
  const target = tables.find((other) => other.name === links.find((field) => field.name === link)?.link?.table);
  const [shown, setShown] = useState("");
  const [linking, setLinking] = useState(table.linked_from[0]?.include ?? "");
  const source = tables.find((other) => other.name === linking.split(".")[0]);
  const [aggregate, setAggregate] = useState<Schemas["Aggregate"]>("count");
  const [aggregated, setAggregated] = useState("");
  const [where, setWhere] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  function body(): NewField | string {
    switch (kind) {
      case "formula":
        return { name, type: "formula", formula };
      case "lookup":
        if (!link || !shown) return "Choose a link and the field it shows.";
        return { name, type: "lookup", lookup: { link, field: shown } };
      case "rollup": {
        if (!linking) return "No table links here yet: add a link field to another table first.";
        const takesField = AGGREGATES.find((option) => option.value === aggregate)?.field;
        if (takesField && !aggregated) return "Choose the field to aggregate.";
        let condition: unknown;
        if (where.trim() !== "") {
          try {
            condition = JSON.parse(where);
          } catch {
            return "The condition is not JSON: write it as the API's where, e.g. {\"field\": \"paid\", \"op\": \"eq\", \"value\": true}.";
          }
        }
        return {
          name, type: "rollup",
          rollup: { link: linking, function: aggregate, ...(takesField ? { field: aggregated } : {}), ...(condition ? { where: condition } : {}) },
        };
      }
    }
  }

  return (
    <form
      className="computed"
      aria-label="New computed field"
      onSubmit={(event) => {
        event.preventDefault();
        const made = body();
        setProblem(typeof made === "string" ? made : null);
        if (typeof made !== "string") propose(made);
      }}
    >
      <label>
        Name <input value={name} onChange={(event) => setName(event.target.value)} required pattern="[a-z][a-z0-9_]{0,62}" />
      </label>{" "}
      <label>
        Computed as{" "}
        <select value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
          <option value="formula">formula</option>
          <option value="lookup">lookup through a link</option>
          <option value="rollup">rollup of linking records</option>
        </select>
      </label>
      {kind === "formula" && <FormulaEditor baseId={baseId} table={table} tables={tables} text={formula} setText={setFormula} />}
      {kind === "lookup" && (
        <p>
          <label>
            Link{" "}
            <select value={link} onChange={(event) => { setLink(event.target.value); setShown(""); }}>
              {links.length === 0 && <option value="">(this table has no link)</option>}
              {links.map((field) => <option key={field.id} value={field.name}>{field.name}</option>)}
            </select>
          </label>{" "}
          <label>
            Shows{" "}
            <select value={shown} onChange={(event) => setShown(event.target.value)}>
              <option value="">choose a field</option>
              {target?.fields.map((field) => <option key={field.id} value={field.name}>{field.name} ({field.type})</option>)}
            </select>
          </label>
        </p>
      )}
      {kind === "rollup" && (
        <p>
          <label>
            Over{" "}
            <select value={linking} onChange={(event) => { setLinking(event.target.value); setAggregated(""); }}>
              {table.linked_from.length === 0 && <option value="">(no table links here)</option>}
              {table.linked_from.map((back) => <option key={back.include} value={back.include}>{back.include}</option>)}
            </select>
          </label>{" "}
          <label>
            Function{" "}
            <select value={aggregate} onChange={(event) => setAggregate(event.target.value as Schemas["Aggregate"])}>
              {AGGREGATES.map((option) => <option key={option.value} value={option.value}>{option.title}</option>)}
            </select>
          </label>{" "}
          {AGGREGATES.find((option) => option.value === aggregate)?.field && (
            <label>
              Field{" "}
              <select value={aggregated} onChange={(event) => setAggregated(event.target.value)}>
                <option value="">choose a field</option>
                {source?.fields.map((field) => <option key={field.id} value={field.name}>{field.name} ({field.type})</option>)}
              </select>
            </label>
          )}{" "}
          <label>
            {aggregate === "any" || aggregate === "all" ? "Matching" : "Only records where"}{" "}
            <input value={where} onChange={(event) => setWhere(event.target.value)} placeholder='{"field": "paid", "op": "eq", "value": true}' size={40} />
          </label>
        </p>
      )}
      {problem && <p role="alert" className="refused">{problem}</p>}
      <button type="submit">Preview</button>
    </form>
  );
}

/** A formula field's expression, edited with the same editor; previewed before it changes. */
export function FormulaChange({ baseId, table, tables, field, propose, onCancel }: {
  baseId: string;
  table: Table;
  tables: Table[];
  field: Schemas["FieldInfo"];
  propose: (formula: string) => void;
  onCancel: () => void;
}) {
  const [formula, setFormula] = useState(field.computed?.formula ?? "");
  // The field itself is not offered to its own formula.
  const others = { ...table, fields: table.fields.filter((other) => other.id !== field.id) };
  return (
    <form
      aria-label={`Formula of ${field.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        propose(formula);
      }}
    >
      <FormulaEditor
        baseId={baseId}
        table={others}
        tables={tables.map((candidate) => (candidate.id === table.id ? others : candidate))}
        text={formula}
        setText={setFormula}
      />
      <button type="submit">Preview</button>
      <button type="button" onClick={onCancel}>Cancel</button>
    </form>
  );
}

/** A formula textarea with completion and the API's own type check, as the person types. */
function FormulaEditor({ baseId, table, tables, text, setText }: {
  baseId: string;
  table: Table;
  tables: Table[];
  text: string;
  setText: (text: string) => void;
}) {
  const [compiled, setCompiled] = useState<Compiler | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [caret, setCaret] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => void compiler().then(setCompiled, setFailed), []);
  const functions = compiled ? formulaFunctions(compiled) : [];
  const check: FormulaCheck | null =
    compiled && text.trim() !== "" ? formulaCheck(compiled, { id: baseId, catalog_version: 0, tables }, table.name, text) : null;
  const { word, start } = wordAt(text, caret);
  const offered = completions(word, table.fields.map((field) => field.name), functions.map((func) => func.name));

  function complete(name: string) {
    const next = text.slice(0, start) + name + text.slice(caret);
    setText(next);
    const at = start + name.length;
    setCaret(at);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(at, at);
    });
  }

  const chars = Array.from(text);
  return (
    <div className="formula">
      <label>
        Formula{" "}
        <textarea
          ref={area}
          aria-label="Formula"
          value={text}
          rows={3}
          cols={60}
          spellCheck={false}
          onChange={(event) => { setText(event.target.value); setCaret(event.target.selectionStart); }}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        />
      </label>
      {offered.length > 0 && (
        <div role="listbox" aria-label="Completions" className="completions">
          {offered.map((name) => (
            <button type="button" role="option" aria-selected={false} key={name} onClick={() => complete(name)}>{name}</button>
          ))}
        </div>
      )}
      <div role="status" data-testid="formula-check" className={check?.error ? "refused" : "passes"}>
        {check === null && <span className="hint">Type a formula, e.g. price * quantity; fields and functions complete as you type.</span>}
        {check?.type && <>Gives a {check.type} for each record.</>}
        {check?.error && (
          <>
            {check.error.message}
            <pre className="formula-error">
              {chars.slice(0, check.error.start).join("")}
              <mark>{chars.slice(check.error.start, Math.max(check.error.end, check.error.start + 1)).join("") || " "}</mark>
              {chars.slice(Math.max(check.error.end, check.error.start + 1)).join("")}
            </pre>
          </>
        )}
      </div>
      <details>
        <summary>Functions</summary>
        <ul className="hint">
          {functions.map((func) => <li key={func.name}><code>{func.name}</code>: {func.doc}</li>)}
        </ul>
      </details>
      <Problem error={failed} />
    </div>
  );
}
