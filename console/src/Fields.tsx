// The table builder: a table's fields with everything about them, and every schema change
// (add, edit, rename, change type, drop; rename or drop the table) previewed as the DDL it
// will run before it is applied.

import type { Schemas } from "@nclcdbaas/sdk";
import { useState, type FormEvent } from "react";
import type { FieldType } from "./cells";
import { FIELD_TYPES, defaultOf, defaultText, hasOptions, optionsOf } from "./fieldForm";
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

export function Fields({ baseId, table, editable, changed }: {
  baseId: string;
  table: Table;
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
                    label={`Edit ${field.name}`}
                    onCancel={() => setEditing(null)}
                    onSubmit={(event) =>
                      submit(event, (form) => {
                        const body = patchOf(field, form);
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
                <td>{field.type}</td>
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
      {editable && (
        <>
          <h3>Add a field</h3>
          <FieldForm
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
function FieldForm({ field, label, onSubmit, onCancel }: {
  field?: Field;
  label: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onCancel?: () => void;
}) {
  const [type, setType] = useState<FieldType>(field?.type ?? "text");
  return (
    <form className="inline" aria-label={label} onSubmit={onSubmit}>
      <label>
        Name <input name="name" required pattern="[a-z][a-z0-9_]{0,62}" defaultValue={field?.name} placeholder="name" />
      </label>
      <label>
        Type{" "}
        <select name="type" value={type} onChange={(event) => setType(event.target.value as FieldType)}>
          {FIELD_TYPES.map((option) => (
            <option key={option} value={option}>{option}</option>
          ))}
        </select>
      </label>
      {hasOptions(type) && (
        <label>
          Options <input name="options" defaultValue={field?.options?.join(", ")} placeholder="a, b, c" />
        </label>
      )}
      <label>
        Default <input name="default" defaultValue={defaultText(field?.default)} placeholder="none" />
      </label>
      <label>
        <input type="checkbox" name="required" defaultChecked={field?.required} /> Required
      </label>
      <label>
        <input type="checkbox" name="unique" defaultChecked={field?.unique} /> Unique
      </label>
      <button type="submit">Preview</button>
      {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
    </form>
  );
}

function newFieldOf(form: FormData): Schemas["NewField"] {
  const type = String(form.get("type")) as FieldType;
  const fallback = defaultOf(type, String(form.get("default") ?? ""));
  return {
    name: String(form.get("name")),
    type,
    required: form.get("required") === "on",
    unique: form.get("unique") === "on",
    ...(hasOptions(type) ? { options: optionsOf(String(form.get("options") ?? "")) } : {}),
    ...(fallback ? { default: fallback.value } : {}),
  };
}

/** Only what the form changed: an unchanged member is left out, so it stays as it is. */
function patchOf(field: Field, form: FormData): Schemas["FieldPatch"] {
  const wanted = newFieldOf(form);
  const patch: Schemas["FieldPatch"] = {};
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
