import type { Schemas } from "@nclcdbaas/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { canAlterSchema, hrefOf } from "./places";
import type { FieldType } from "./cells";
import { Grid } from "./Grid";
import { Problem } from "./Problem";
import { client } from "./session";

type Base = Schemas["Base"];

/** Every field type, in the order the builder offers them. */
const FIELD_TYPES = [
  "text", "long_text", "number", "boolean", "date", "datetime", "email", "url", "single_select", "multi_select",
  "json", "uuid",
] as const satisfies readonly FieldType[];

export function BaseScreen({ baseId, table }: { baseId: string; table?: string }) {
  const [base, setBase] = useState<Base | null>(null);
  const [role, setRole] = useState<string>("viewer");
  const [error, setError] = useState<unknown>(null);

  async function load() {
    try {
      const api = await client();
      const [loaded, me] = await Promise.all([api.call("getBase", { path: { baseId } }), api.call("me")]);
      setBase(loaded);
      setRole(me.workspaces.find((workspace) => workspace.id === loaded.workspace_id)?.role ?? "viewer");
    } catch (failure) {
      setError(failure);
    }
  }
  useEffect(() => void load(), [baseId]);

  async function change(event: FormEvent<HTMLFormElement>, run: (form: FormData) => Promise<unknown>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      await run(new FormData(form));
      form.reset();
      await load();
    } catch (failure) {
      setError(failure);
    }
  }

  const selected = base?.tables.find((candidate) => candidate.name === table);
  const admin = canAlterSchema(role);
  return (
    <div className="base">
      <aside>
        <h1>{base?.name ?? "…"}</h1>
        <nav aria-label="Tables">
          <ul>
            {base?.tables.map((candidate) => (
              <li key={candidate.id}>
                <a
                  href={hrefOf({ screen: "base", baseId, table: candidate.name })}
                  aria-current={candidate.name === table ? "page" : undefined}
                >
                  {candidate.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {admin && (
          <form
            className="stacked"
            aria-label="New table"
            onSubmit={(event) =>
              void change(event, async (form) => {
                const name = String(form.get("name") ?? "");
                const api = await client();
                await api.call("createTable", { path: { baseId }, body: { name } });
                window.location.hash = hrefOf({ screen: "base", baseId, table: name });
              })
            }
          >
            <label>
              New table <input name="name" required pattern="[a-z][a-z0-9_]{0,62}" placeholder="name" />
            </label>
            <button type="submit">Create table</button>
          </form>
        )}
      </aside>
      <section className="table">
        <Problem error={error} />
        {!selected && base && <p>{base.tables.length ? "Pick a table." : "This base has no tables yet."}</p>}
        {selected && (
          <>
            <h2>{selected.name}</h2>
            {admin && (
              <form
                className="inline"
                aria-label="New field"
                onSubmit={(event) =>
                  void change(event, async (form) => {
                    const api = await client();
                    await api.call("addField", {
                      path: { baseId, table: selected.name },
                      body: {
                        name: String(form.get("name") ?? ""),
                        type: String(form.get("type")) as FieldType,
                        required: form.get("required") === "on",
                      },
                    });
                  })
                }
              >
                <label>
                  New field <input name="name" required pattern="[a-z][a-z0-9_]{0,62}" placeholder="name" />
                </label>
                <label>
                  Type{" "}
                  <select name="type" defaultValue="text">
                    {FIELD_TYPES.map((type) => (
                      <option key={type} value={type}>{type}</option>
                    ))}
                  </select>
                </label>
                <label>
                  <input type="checkbox" name="required" /> Required
                </label>
                <button type="submit">Add field</button>
              </form>
            )}
            <Grid key={`${selected.id}:${selected.fields.length}`} baseId={baseId} table={selected} readOnly={role === "viewer"} />
          </>
        )}
      </section>
    </div>
  );
}
