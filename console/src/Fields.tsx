// The table builder: a table's fields with everything about them, and every schema change
// (add, edit, rename, change type, drop; rename or drop the table) previewed as the DDL it
// will run before it is applied. A link field is built as a relationship: the table it points
// at, the field that names the linked record, and what deleting that record does. A field's
// rules (lengths, pattern, allowed values, bounds) are set in the same form, and a value can be
// tried against the form as it stands with the API's own check, before anything is sent.

import { ApiError, type Schemas } from "@nclcdbaas/sdk";
import { useEffect, useId, useState, type FormEvent } from "react";
import type { FieldType } from "./cells";
import { compiler, rulesProblem, valueProblem, type Compiler } from "./checks";
import { ComputedForm, FormulaChange } from "./Computed";
import { Indexes } from "./Indexes";
import {
  FIELD_TYPES, defaultOf, defaultText, hasDefault, hasOptions, linkPatchOf, onDeleteChoices, optionsOf, rulesFor, rulesOf,
  rulesSummary, rulesText, rulesTextFor, sameRules, tryValueOf,
  type OnDelete, type RuleName, type RulesText,
} from "./fieldForm";
import { displayOf, firstText } from "./links";
import { hrefOf } from "./places";
import { Problem } from "./Problem";
import { client } from "./session";

type Table = Schemas["Table"];
type Field = Schemas["FieldInfo"];
type Result = Schemas["SchemaChangeResult"];

/** A change being previewed: what it is, how to run it, and the DDL the preview returned. */
interface Pending {
  title: string;
  run: (dryRun: boolean) => Promise<Result>;
  steps: NonNullable<Result["steps"]>;
  preflight?: Result["preflight"];
  notConverting?: Result["not_converting"];
  /** What a computed field would show on the first records. */
  computed?: Result["computed"];
  /** Where to go once it is applied (a renamed or dropped table moves). */
  then?: string;
}

export function Fields({ baseId, table, tables, editable, changed }: {
  baseId: string;
  table: Table;
  /** Every table of the base, which a link may point at. */
  tables: Table[];
  editable: boolean;
  changed: () => Promise<unknown>;
}) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [converting, setConverting] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const path = { baseId, table: table.name };

  /** Previews a change: nothing is applied until the person has read its DDL. */
  async function preview(title: string, run: Pending["run"], then?: string) {
    setError(null);
    try {
      const result = await run(true);
      setPending({
        title, run, steps: result.steps ?? [], preflight: result.preflight, notConverting: result.not_converting,
        computed: result.computed, then,
      });
    } catch (failure) {
      setError(failure);
    }
  }

  async function apply() {
    if (!pending) return;
    setError(null);
    try {
      await pending.run(false);
      setPending(null);
      setEditing(null);
      setConverting(null);
      await changed();
      if (pending.then) window.location.hash = pending.then;
    } catch (failure) {
      setError(failure);
    }
  }

  const submit = (event: FormEvent<HTMLFormElement>, build: (form: FormData) => [string, Pending["run"], string?]) => {
    event.preventDefault();
    setError(null);
    try {
      void preview(...build(new FormData(event.currentTarget)));
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <div className="fields">
      <Problem error={error} />
      <RuleBreakers error={error} />
      {pending && (
        <section className="preview" aria-label="Change preview">
          <h3>{pending.title}</h3>
          <p>This change will run:</p>
          <pre data-testid="ddl">{pending.steps.map(ddlText).join("\n") || "(no DDL: only the catalog changes)"}</pre>
          {pending.preflight && <PreflightSummary preflight={pending.preflight} />}
          {pending.notConverting && (
            <p data-testid="not-converting">
              {pending.notConverting.count === 0
                ? "Every value converts."
                : `${pending.notConverting.count} ${pending.notConverting.count === 1 ? "value does" : "values do"} not convert and will be left empty` +
                  ` (records ${(pending.notConverting.examples as string[]).join(", ")}${pending.notConverting.count > 3 ? ", …" : ""}).`}
            </p>
          )}
          {pending.computed && (
            <table className="list" data-testid="computed-preview">
              <caption>On the first records</caption>
              <thead><tr><th>Record</th><th>Value</th></tr></thead>
              <tbody>
                {pending.computed.map((row) => (
                  <tr key={row.id}><td><code>{row.id}</code></td><td>{row.value === null ? "(empty)" : JSON.stringify(row.value)}</td></tr>
                ))}
                {pending.computed.length === 0 && <tr><td colSpan={2}>The table has no records yet.</td></tr>}
              </tbody>
            </table>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={() => void apply()}>Apply</button>
            <button type="button" onClick={() => setPending(null)}>Cancel</button>
          </div>
        </section>
      )}
      <table className="list">
        <thead>
          <tr>
            <th>Field</th><th>Type</th><th>Required</th><th>Unique</th><th>Default</th><th>Options</th><th>Rules</th>
            {editable && <th><span className="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {table.fields.map((field) =>
            editing === field.name && field.computed?.formula != null ? (
              <tr key={field.id}>
                <td colSpan={8}>
                  <FormulaChange
                    baseId={baseId}
                    table={table}
                    tables={tables}
                    field={field}
                    onCancel={() => setEditing(null)}
                    propose={(formula) =>
                      void preview(`Change the formula of ${field.name}`, async (dryRun) =>
                        (await client()).call("updateField", {
                          path: { ...path, field: field.name },
                          query: { dry_run: dryRun },
                          body: { formula },
                        }),
                      )
                    }
                  />
                </td>
              </tr>
            ) : editing === field.name ? (
              <tr key={field.id}>
                <td colSpan={8}>
                  <FieldForm
                    field={field}
                    table={table}
                    tables={tables}
                    label={`Edit ${field.name}`}
                    onCancel={() => setEditing(null)}
                    onSubmit={(event) =>
                      submit(event, (form) => {
                        const body = patchOf(field, form, tables);
                        return [
                          `Change field ${field.name}`,
                          async (dryRun) =>
                            (await client()).call("updateField", {
                              path: { ...path, field: field.name },
                              query: { dry_run: dryRun },
                              body,
                            }),
                        ];
                      })
                    }
                  />
                </td>
              </tr>
            ) : (
              <tr key={field.id}>
                <th scope="row">
                  {field.name}
                  {field.former_names.length > 0 && (
                    <div className="hint">Still answers to {field.former_names.join(", ")} during the rename grace period</div>
                  )}
                </th>
                <td>
                  {field.type}
                  {field.computed && (
                    <div className="hint" data-testid={`computed-${field.name}`}>
                      {field.computed.kind}: {field.computed.formula ??
                        (field.computed.lookup ? `${field.computed.lookup.link}.${field.computed.lookup.field}` : "") +
                        (field.computed.rollup
                          ? `${field.computed.rollup.function}(${field.computed.rollup.link}${field.computed.rollup.field ? `, ${field.computed.rollup.field}` : ""})`
                          : "")}
                    </div>
                  )}
                  {field.link && (
                    <>
                      {" to "}
                      <a href={hrefOf({ screen: "base", baseId, section: "tables", item: field.link.table, tab: "fields" })}>{field.link.table}</a>
                      <div className="hint">
                        shows {displayOf(tables, field)?.name ?? "the id"}; on delete: {field.link.on_delete.replace("_", " ")}
                      </div>
                    </>
                  )}
                </td>
                <td>{field.required ? "yes" : ""}</td>
                <td>{field.unique ? "yes" : ""}</td>
                <td>{defaultText(field.default)}</td>
                <td>{field.options?.join(", ")}</td>
                <td>{rulesSummary(field.rules)}</td>
                {editable && (
                  <td className="actions">
                    {field.computed?.formula != null && (
                      <button type="button" onClick={() => setEditing(field.name)} aria-label={`Edit formula of ${field.name}`}>Edit formula</button>
                    )}
                    {!field.computed && (
                      <>
                        <button type="button" onClick={() => setEditing(field.name)} aria-label={`Edit ${field.name}`}>Edit</button>
                        <button type="button" onClick={() => setConverting(field.name)} aria-label={`Convert ${field.name}`}>Convert…</button>
                      </>
                    )}
                    <button
                      type="button"
                      aria-label={`Drop ${field.name}`}
                      onClick={() =>
                        void preview(`Drop field ${field.name}`, async (dryRun) =>
                          (await client()).call("dropField", { path: { ...path, field: field.name }, query: { dry_run: dryRun } }),
                        )
                      }
                    >
                      Drop
                    </button>
                  </td>
                )}
              </tr>
            ),
          )}
          {table.fields.length === 0 && (
            <tr><td colSpan={8}>No fields yet.</td></tr>
          )}
          {converting && (
            <tr>
              <td colSpan={8}>
                <form
                  className="inline"
                  aria-label={`Convert ${converting}`}
                  onSubmit={(event) =>
                    submit(event, (form) => {
                      const body = { type: String(form.get("type")) as Schemas["FieldType"], into: String(form.get("into")) };
                      return [
                        `Convert ${converting} into ${body.into} (${body.type})`,
                        async (dryRun) =>
                          (await client()).call("convertField", {
                            path: { ...path, field: converting },
                            query: { dry_run: dryRun },
                            body,
                          }),
                      ];
                    })
                  }
                >
                  <span className="hint">A new field gets every value of {converting} that converts; {converting} stays until you drop it.</span>{" "}
                  <label>
                    Into type{" "}
                    <select name="type" defaultValue="number">
                      {CONVERTIBLE.map((type) => <option key={type} value={type}>{type}</option>)}
                    </select>
                  </label>{" "}
                  <label>
                    New field <input name="into" required defaultValue={`${converting}_new`} />
                  </label>{" "}
                  <button type="submit">Preview</button>
                  <button type="button" onClick={() => setConverting(null)}>Cancel</button>
                </form>
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {table.linked_from.length > 0 && (
        <p data-testid="linked-from">
          Linked from:{" "}
          {table.linked_from.map((back, index) => (
            <span key={back.include}>
              {index > 0 && ", "}
              <a href={hrefOf({ screen: "base", baseId, section: "tables", item: back.table, tab: "fields" })}>{back.include}</a>
            </span>
          ))}
        </p>
      )}
      {editable && (
        <>
          <h3>Add a field</h3>
          <FieldForm
            key={table.fields.length /* a field added, the form starts afresh */}
            table={table}
            tables={tables}
            label="New field"
            onSubmit={(event) =>
              submit(event, (form) => {
                const body = newFieldOf(form);
                return [
                  `Add field ${body.name}`,
                  async (dryRun) => (await client()).call("addField", { path, query: { dry_run: dryRun }, body }),
                ];
              })
            }
          />
          <h3>Add a computed field</h3>
          <ComputedForm
            key={`computed-${table.fields.length}`}
            baseId={baseId}
            table={table}
            tables={tables}
            propose={(body) =>
              void preview(`Add field ${body.name}`, async (dryRun) =>
                (await client()).call("addField", { path, query: { dry_run: dryRun }, body }),
              )
            }
          />
          <Indexes baseId={baseId} table={table} changed={changed} />
          <h3>Table</h3>
          {table.former_names.length > 0 && (
            <p className="hint">Paths still accept {table.former_names.join(", ")} during the rename grace period.</p>
          )}
          <form
            className="inline"
            aria-label="Rename table"
            onSubmit={(event) =>
              submit(event, (form) => {
                const name = String(form.get("name"));
                return [
                  `Rename table ${table.name} to ${name}`,
                  async (dryRun) =>
                    (await client()).call("renameTable", { path, query: { dry_run: dryRun }, body: { name } }),
                  hrefOf({ screen: "base", baseId, section: "tables", item: name, tab: "fields" }),
                ];
              })
            }
          >
            <label>
              Rename to <input name="name" required pattern="[a-z][a-z0-9_]{0,62}" defaultValue={table.name} />
            </label>
            <button type="submit">Preview rename</button>
            <button
              type="button"
              className="danger"
              onClick={() =>
                void preview(
                  `Drop table ${table.name}`,
                  async (dryRun) => (await client()).call("dropTable", { path, query: { dry_run: dryRun } }),
                  hrefOf({ screen: "base", baseId, section: "tables" }),
                )
              }
            >
              Drop table
            </button>
          </form>
        </>
      )}
    </div>
  );
}

/** The form of a field: empty for a new one, filled in to edit one. */
function FieldForm({ field, table, tables, label, onSubmit, onCancel }: {
  field?: Field;
  table: Table;
  tables: Table[];
  label: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel?: () => void;
}) {
  const [type, setType] = useState<FieldType>(field?.type ?? "text");
  const [name, setName] = useState(field?.name ?? "");
  const [required, setRequired] = useState(field?.required ?? false);
  const [onDelete, setOnDelete] = useState<OnDelete>(field?.link?.on_delete ?? "restrict");
  const [options, setOptions] = useState(field?.options?.join(", ") ?? "");
  const [rules, setRules] = useState<RulesText>(rulesText(field?.rules));
  // A link's type stays a link, and another field cannot become one (a link is added new).
  // A link or a file field keeps its type: its values are ids of records or of uploads.
  const fixed = (option: string) => option === "link" || option === "file";
  const types = field ? FIELD_TYPES.filter((option) => (fixed(option) ? option === field.type : !fixed(field.type))) : FIELD_TYPES;
  return (
    <form className="inline" aria-label={label} onSubmit={onSubmit}>
      <label>
        Name <input name="name" required pattern="[a-z][a-z0-9_]{0,62}" value={name} onChange={(event) => setName(event.target.value)} placeholder="name" />
      </label>
      <label>
        Type{" "}
        <select
          name="type"
          value={type}
          onChange={(event) => {
            const chosen = event.target.value as FieldType;
            setType(chosen);
            setRules((current) => rulesTextFor(type, chosen, current)); // rules the new type does not take go
          }}
        >
          {types.map((option) => (
            <option key={option} value={option}>{option}</option>
          ))}
        </select>
      </label>
      {hasOptions(type) && (
        <label>
          {type === "file" ? "Accepted types" : "Options"}{" "}
          <input name="options" value={options} onChange={(event) => setOptions(event.target.value)}
            placeholder={type === "file" ? "any, or e.g. image/*, application/pdf" : "a, b, c"} />
        </label>
      )}
      {hasDefault(type) && (
        <label>
          Default <input name="default" defaultValue={defaultText(field?.default)} placeholder="none" />
        </label>
      )}
      <label>
        <input
          type="checkbox"
          name="required"
          checked={required}
          onChange={(event) => {
            setRequired(event.target.checked);
            if (event.target.checked && onDelete === "set_null") setOnDelete("restrict");
          }}
        />{" "}
        Required
      </label>
      <label>
        <input type="checkbox" name="unique" defaultChecked={field?.unique} /> Unique
      </label>
      {type === "link" && (
        <Relationship field={field} table={table} tables={tables} name={name} required={required} onDelete={onDelete} setOnDelete={setOnDelete} />
      )}
      {rulesFor(type).length > 0 && <Rules type={type} rules={rules} setRules={setRules} editing={!!field} />}
      {type !== "link" && <TryValue field={() => ({
        id: field?.id ?? "00000000-0000-0000-0000-000000000000", name: name || "field", type, required, unique: false,
        options: hasOptions(type) ? optionsOf(options) : null, default: null, former_names: [], link: null, rules: rulesOf(type, rules),
      })} />}
      <button type="submit">Preview</button>
      {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
    </form>
  );
}

/** The names of the rules' boxes in the form: `rule_min_length`, … */
const ruleInput = (rule: RuleName) => `rule_${rule}`;
const rulesTextOf = (form: FormData): RulesText =>
  Object.fromEntries((["min_length", "max_length", "pattern", "allowed", "min", "max"] as const).map((rule) => [rule, String(form.get(ruleInput(rule)) ?? "")]));

/** The rules a field of `type` takes, one box each (a date's bounds picked as dates); an empty box sets none. */
function Rules({ type, rules, setRules, editing }: {
  type: FieldType;
  rules: RulesText;
  setRules: (rules: RulesText) => void;
  /** An existing field: its records may be checked against the rules, or not. */
  editing: boolean;
}) {
  const id = useId();
  const box = (rule: RuleName) => ({
    name: ruleInput(rule),
    value: rules[rule] ?? "",
    onChange: (event: { target: { value: string } }) => setRules({ ...rules, [rule]: event.target.value }),
  });
  const bound = type === "date" ? { type: "date" } : { type: "number", step: "any" };
  return (
    <fieldset className="rules" aria-label="Rules">
      <legend>Rules</legend>
      <p className="hint">Every value saved must meet these rules; leave a box empty for no rule. An empty value always passes (tick Required to refuse it).</p>
      {rulesFor(type).includes("pattern") ? (
        <>
          <div className="row">
            <label>Min length <input type="number" min={0} step={1} {...box("min_length")} /></label>
            <label>Max length <input type="number" min={0} step={1} {...box("max_length")} /></label>
          </div>
          <div className="row">
            <label>Pattern <input {...box("pattern")} placeholder="^[A-Z]{2}-[0-9]+$" aria-describedby={`${id}-pattern`} /></label>
            <span className="hint" id={`${id}-pattern`}>
              The value must contain a match of this pattern (a regular expression); <code>^</code> and <code>$</code> make it
              match the whole value. For example, <code>^[A-Z]{"{2}"}-[0-9]+$</code> takes AB-12 and refuses ab-12.
            </span>
          </div>
          <div className="row">
            <label>
              Allowed values{" "}
              <textarea rows={3} {...box("allowed")} placeholder={"gold\nsilver"} aria-describedby={`${id}-allowed`} />
            </label>
            <span className="hint" id={`${id}-allowed`}>One value per line; when set, a value must be one of them.</span>
          </div>
        </>
      ) : (
        <div className="row">
          <label>{type === "date" ? "Earliest date" : "Min value"} <input {...bound} {...box("min")} /></label>
          <label>{type === "date" ? "Latest date" : "Max value"} <input {...bound} {...box("max")} /></label>
        </div>
      )}
      {editing && (
        <div className="row">
          <label>
            <input type="checkbox" name="check_existing" defaultChecked aria-describedby={`${id}-existing`} /> Also check existing records
          </label>
          <span className="hint" id={`${id}-existing`}>
            When ticked, the change is refused if records already break the rules; untick it to apply them to new saves only.
          </span>
        </div>
      )}
    </fieldset>
  );
}

/** The types a conversion makes: those whose values Postgres can read from text. */
const CONVERTIBLE: Array<Schemas["FieldType"]> = ["number", "boolean", "date", "datetime", "uuid", "text", "long_text"];

/** The locks a change takes, for how long on this table's size, and what depends on it. */
function PreflightSummary({ preflight }: { preflight: NonNullable<Result["preflight"]> }) {
  const held = preflight.steps.filter((step) => step.lock !== "none");
  return (
    <div data-testid="preflight">
      <p>
        On <strong>{preflight.table}</strong> (about {preflight.rows.toLocaleString()} records), estimated{" "}
        {preflight.estimate_ms < 1000 ? `${preflight.estimate_ms} ms` : `${(preflight.estimate_ms / 1000).toFixed(1)} s`}:
      </p>
      <ul>
        {held.map((step, index) => (
          <li key={index}>{step.lock} lock, blocking {step.blocks}, {WORK[step.work]} (~{step.estimate_ms} ms)</li>
        ))}
      </ul>
      {preflight.dependents.length > 0 && <p>Depends on it: {preflight.dependents.join(", ")}.</p>}
    </div>
  );
}

const WORK: Record<NonNullable<Result["preflight"]>["steps"][number]["work"], string> = {
  catalog: "a catalog change only",
  scan: "reading every record",
  index_build: "building an index",
  rewrite: "rewriting the table",
  update_rows: "updating every record",
};

/** A DDL step as shown: its statement, then the values bound to its parameters. */
export function ddlText(step: NonNullable<Result["steps"]>[number]): string {
  const params = step.params ?? [];
  const bound = params.map((value, at) => `$${at + 1} = ${value === null ? "NULL" : JSON.stringify(value)}`);
  return `${step.sql};${bound.length ? `  -- ${bound.join(", ")}` : ""}`;
}

/**
 * A value tried against the field as the form stands, with the API's own check (the compiler):
 * what the grid and the API would answer, at once; nothing is sent.
 */
function TryValue({ field }: { field: () => Field }) {
  const [text, setText] = useState("");
  const [compiled, setCompiled] = useState<Compiler | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => void compiler().then(setCompiled, setFailed), []);
  let verdict = "Type a value to see whether it would be saved; nothing is sent.";
  if (text !== "" && compiled) {
    try {
      const trying = field();
      const broken = rulesProblem(compiled, trying.type, trying.rules);
      const problem = broken ? `the rules themselves: ${broken}` : valueProblem(compiled, trying, tryValueOf(trying.type, text));
      verdict = problem ? `Refused: ${problem}` : "Passes: this value would be saved.";
    } catch (failure) {
      verdict = `Refused: ${failure instanceof Error ? failure.message : String(failure)}`;
    }
  }
  return (
    <fieldset className="try" aria-label="Try a value">
      <legend>Try a value</legend>
      <label>
        Value{" "}
        <input
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => event.key === "Enter" && event.preventDefault()}
        />
      </label>{" "}
      <span role="status" className={text === "" ? "hint" : verdict.startsWith("Passes") ? "passes" : "refused"}>{verdict}</span>
      <Problem error={failed} />
    </fieldset>
  );
}

/** The records that break rules being set (a 409 `rule_violated`): how many, and some of their ids. */
export function RuleBreakers({ error, advice = "Fix them in the grid, or untick “Also check existing records”." }: {
  error: unknown;
  /** What the person can do about them. */
  advice?: string;
}) {
  if (!(error instanceof ApiError) || error.details.reason !== "rule_violated") return null;
  const examples = Array.isArray(error.details.examples) ? error.details.examples.map(String) : [];
  const count = Math.max(Number(error.details.count ?? 0), examples.length);
  if (!examples.length) return null;
  return (
    <p className="hint" data-testid="rule-breakers">
      {count > 1 ? `${count} records break them` : "A record breaks them"}:{" "}
      {examples.map((id, index) => (
        <span key={id}>{index > 0 && ", "}<code>{id}</code></span>
      ))}
      {count > examples.length && ` and ${count - examples.length} more`}. {advice}
    </p>
  );
}

/** A link's relationship: the table it points at (fixed once made), the field naming its records, the action on delete. */
function Relationship({ field, table, tables, name, required, onDelete, setOnDelete }: {
  field?: Field;
  table: Table;
  tables: Table[];
  name: string;
  required: boolean;
  onDelete: OnDelete;
  setOnDelete: (onDelete: OnDelete) => void;
}) {
  const [targetId, setTargetId] = useState(
    field?.link?.table_id ?? tables.find((candidate) => candidate.id !== table.id)?.id ?? table.id,
  );
  const target = tables.find((candidate) => candidate.id === targetId);
  const shown = field?.link?.display_field_id ?? (target && firstText(target)?.id) ?? "";
  return (
    <fieldset className="relationship" aria-label="Relationship">
      <legend>Relationship</legend>
      <div className="row">
        {field ? (
          <span>Links to <strong>{target?.name ?? field.link?.table}</strong></span>
        ) : (
          <label>
            Links to{" "}
            <select name="link_table" value={targetId} onChange={(event) => setTargetId(event.target.value)}>
              {tables.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>{candidate.name}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Shown as{" "}
          <select name="link_display" key={targetId} defaultValue={shown}>
            <option value="">its id</option>
            {target?.fields.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>{candidate.name}</option>
            ))}
          </select>
        </label>
      </div>
      <div role="radiogroup" aria-label={`When a ${target?.name ?? "linked"} record is deleted`}>
        <p className="hint">When a {target?.name ?? "linked"} record is deleted:</p>
        {onDeleteChoices(table.name, target?.name ?? "linked", name).map((choice) => (
          <label key={choice.value} className="choice">
            <input
              type="radio"
              name="on_delete"
              value={choice.value}
              checked={onDelete === choice.value}
              disabled={choice.value === "set_null" && required}
              onChange={() => setOnDelete(choice.value)}
            />{" "}
            <span><strong>{choice.title}</strong>: {choice.sentence}{choice.value === "set_null" && required && " (not for a required link)"}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function newFieldOf(form: FormData): Schemas["NewField"] & { type: FieldType } {
  const type = String(form.get("type")) as FieldType;
  const fallback = defaultOf(type, String(form.get("default") ?? ""));
  const display = String(form.get("link_display") ?? "");
  const rules = rulesOf(type, rulesTextOf(form));
  return {
    name: String(form.get("name")),
    type,
    required: form.get("required") === "on",
    unique: form.get("unique") === "on",
    ...(type === "link"
      ? { link: { table: String(form.get("link_table")), on_delete: String(form.get("on_delete")) as OnDelete, ...(display ? { display } : {}) } }
      : {}),
    ...(hasOptions(type) ? { options: optionsOf(String(form.get("options") ?? "")) } : {}),
    ...(fallback ? { default: fallback.value } : {}),
    ...(Object.keys(rules).length ? { rules } : {}),
  };
}

/** Only what the form changed: an unchanged member is left out, so it stays as it is. */
function patchOf(field: Field, form: FormData, tables: Table[]): Schemas["FieldPatch"] {
  const wanted = newFieldOf(form);
  const patch: Schemas["FieldPatch"] = {};
  if (field.link) {
    // A link without a display field shows its target's first text field: choosing that one changes nothing.
    const shown = { ...field.link, display_field_id: field.link.display_field_id ?? displayOf(tables, field)?.id ?? null };
    const link = linkPatchOf(shown, String(form.get("on_delete")) as OnDelete, String(form.get("link_display") ?? ""));
    if (link) patch.link = link;
  }
  if (wanted.name !== field.name) patch.name = wanted.name;
  if (wanted.type !== field.type) patch.type = wanted.type;
  if (wanted.required !== field.required) patch.required = wanted.required;
  if (wanted.unique !== field.unique) patch.unique = wanted.unique;
  if (wanted.options && wanted.options.join("\n") !== (field.options ?? []).join("\n")) patch.options = wanted.options;
  const before = JSON.stringify(field.default ?? null);
  const after = JSON.stringify(wanted.default ?? null);
  if (before !== after) patch.default = wanted.default ?? null;
  if (!sameRules(wanted.rules, field.rules)) patch.rules = wanted.rules ?? {};
  // Rules set (or rebuilt for a new type) apply to new writes only when the box is unticked.
  const checked = (patch.rules || patch.type) && wanted.rules && form.get("check_existing") === null;
  if (checked) patch.check_existing = false;
  return patch;
}
