// The table builder: a table's fields with everything about them, and every schema change
// (add, edit, rename, change type, drop; rename or drop the table) previewed as the DDL it
// will run before it is applied. A link field is built as a relationship: the table it points
// at, the field that names the linked record, and what deleting that record does.

import type { Schemas } from "@nclcdbaas/sdk";
import { useState, type FormEvent } from "react";
import type { FieldType } from "./cells";
import { FIELD_TYPES, defaultOf, defaultText, hasDefault, hasOptions, linkPatchOf, onDeleteChoices, optionsOf, type OnDelete } from "./fieldForm";
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
  const [error, setError] = useState<unknown>(null);
  const path = { baseId, table: table.name };

  /** Previews a change: nothing is applied until the person has read its DDL. */
  async function preview(title: string, run: Pending["run"], then?: string) {
    setError(null);
    try {
      const result = await run(true);
      setPending({ title, run, steps: result.steps ?? [], then });
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
      {pending && (
        <section className="preview" aria-label="Change preview">
          <h3>{pending.title}</h3>
          <p>This change will run:</p>
          <pre data-testid="ddl">{pending.steps.map((step) => step.sql + ";").join("\n") || "(no DDL: only the catalog changes)"}</pre>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void apply()}>Apply</button>
            <button type="button" onClick={() => setPending(null)}>Cancel</button>
          </div>
        </section>
      )}
      <table className="list">
        <thead>
          <tr>
            <th>Field</th><th>Type</th><th>Required</th><th>Unique</th><th>Default</th><th>Options</th>
            {editable && <th><span className="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {table.fields.map((field) =>
            editing === field.name ? (
              <tr key={field.id}>
                <td colSpan={7}>
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
                {editable && (
                  <td className="actions">
                    <button type="button" onClick={() => setEditing(field.name)} aria-label={`Edit ${field.name}`}>Edit</button>
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
            <tr><td colSpan={7}>No fields yet.</td></tr>
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
  // A link's type stays a link, and another field cannot become one (a link is added new).
  const types = field ? FIELD_TYPES.filter((option) => (option === "link") === (field.type === "link")) : FIELD_TYPES;
  return (
    <form className="inline" aria-label={label} onSubmit={onSubmit}>
      <label>
        Name <input name="name" required pattern="[a-z][a-z0-9_]{0,62}" value={name} onChange={(event) => setName(event.target.value)} placeholder="name" />
      </label>
      <label>
        Type{" "}
        <select name="type" value={type} onChange={(event) => setType(event.target.value as FieldType)}>
          {types.map((option) => (
            <option key={option} value={option}>{option}</option>
          ))}
        </select>
      </label>
      {hasOptions(type) && (
        <label>
          Options <input name="options" defaultValue={field?.options?.join(", ")} placeholder="a, b, c" />
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
      <button type="submit">Preview</button>
      {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
    </form>
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

function newFieldOf(form: FormData): Schemas["NewField"] {
  const type = String(form.get("type")) as FieldType;
  const fallback = defaultOf(type, String(form.get("default") ?? ""));
  const display = String(form.get("link_display") ?? "");
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
  return patch;
}
