// Views: a visual builder (fields, filters bound to typed parameters, sorts, limits, what a
// caller may add), checked by the API's own compiler as it is edited; a live preview of its
// rows, read again when a change touches them; versions and rollback; publishing for admins; and the API & usage panel.

import type { Schemas } from "@nclcdbaas/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { valueText } from "./cells";
import { compiler, operatorsOf, viewProblem, type Compiler } from "./checks";
import { useChange, useLoaded } from "./hooks";
import { can, hrefOf } from "./places";
import { Problem } from "./Problem";
import { client } from "./session";
import { ViewApi } from "./ViewApi";
import { ViewKeys } from "./ViewKeys";
import { exposed, joinable, previewQuery, returned, SYSTEM_COLUMNS, toggled, typeOf } from "./viewSpec";

type Base = Schemas["Base"];
type Spec = Schemas["ViewSpec"];

export function Views({ base, role, selected }: { base: Base; role: string; selected?: string }) {
  const views = useLoaded(async () => (await client()).call("listViews", { path: { baseId: base.id } }), [base.id]);
  const change = useChange(views.reload);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const body: Spec = { name: String(data.get("name")), table: String(data.get("table")) };
    void change.run(async () => {
      const view = await (await client()).call("createView", { path: { baseId: base.id }, body });
      window.location.hash = hrefOf({ screen: "base", baseId: base.id, section: "views", item: view.name });
    });
  }

  return (
    <div className="views">
      <section>
        <h2>Views</h2>
        <Problem error={views.error ?? change.error} />
        <ul className="view-list">
          {views.data?.data.map((view) => (
            <li key={view.id}>
              <a
                href={hrefOf({ screen: "base", baseId: base.id, section: "views", item: view.name })}
                aria-current={view.name === selected ? "page" : undefined}
              >
                {view.name}
              </a>{" "}
              {view.published && <span className="badge applied">published v{view.published_version}</span>}
              {view.pending && <span className="badge pending">changes not published</span>}
            </li>
          ))}
          {views.data?.data.length === 0 && <li>No views yet.</li>}
        </ul>
        {can(role, "editViews") && base.tables.length > 0 && (
          <form className="inline" aria-label="New view" onSubmit={create}>
            <label>
              New view <input name="name" required maxLength={100} placeholder="name" />
            </label>
            <label>
              of{" "}
              <select name="table" aria-label="Table of the view">
                {base.tables.map((table) => <option key={table.id} value={table.name}>{table.name}</option>)}
              </select>
            </label>
            <button type="submit">Create view</button>
          </form>
        )}
      </section>
      {selected && <ViewEditor key={selected} base={base} role={role} name={selected} changed={views.reload} />}
    </div>
  );
}

function ViewEditor({ base, role, name, changed }: { base: Base; role: string; name: string; changed: () => unknown }) {
  const path = { baseId: base.id, view: name };
  const view = useLoaded(async () => (await client()).call("getView", { path }), [base.id, name]);
  const [spec, setSpec] = useState<Spec | null>(null);
  const [compiled, setCompiled] = useState<Compiler | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [secret, setSecret] = useState("");
  const change = useChange(async () => {
    await view.reload();
    await changed();
  });
  useEffect(() => void compiler().then(setCompiled, change.setError), []);
  useEffect(() => {
    if (!view.data) return;
    setSpec(view.data.spec);
    setValues(Object.fromEntries((view.data.spec.params ?? []).map((param) => [param.name, param.example ?? ""])));
  }, [view.data]);

  const table = spec && base.tables.find((candidate) => candidate.name === spec.table);
  if (!view.data || !spec || !table) return <Problem error={view.error ?? change.error} />;
  const editable = can(role, "editViews");
  const problem = compiled ? viewProblem(compiled, base, spec) : null;
  const edit = (patch: Partial<Spec>) => setSpec({ ...spec, ...patch });
  const saved = JSON.stringify(spec) === JSON.stringify(view.data.spec);

  return (
    <section className="view-editor" aria-label={`View ${name}`}>
      <h2>
        {name} <span className="hint">of {table.name}, version {view.data.active_version}</span>
      </h2>
      <Problem error={view.error ?? change.error} />
      <fieldset disabled={!editable}>
        <legend>Fields returned</legend>
        {table.fields.map((field) => {
          const shown = returned(spec, table).includes(field.name);
          return (
            <label key={field.id}>
              <input
                type="checkbox"
                checked={shown}
                onChange={() => edit({ fields: toggled(spec, table, field.name, !shown) })}
              />{" "}
              {field.name}
            </label>
          );
        })}
      </fieldset>
      {joinable(table, base.tables).length > 0 && (
        <fieldset disabled={!editable}>
          <legend>Fields of a linked record (one relation)</legend>
          {joinable(table, base.tables).map((name) => {
            const shown = returned(spec, table).includes(name);
            return (
              <label key={name}>
                <input type="checkbox" checked={shown} onChange={() => edit({ fields: toggled(spec, table, name, !shown) })} />{" "}
                {name}
              </label>
            );
          })}
        </fieldset>
      )}
      <Params spec={spec} edit={edit} editable={editable} />
      <Filters spec={spec} table={table} compiled={compiled} edit={edit} editable={editable} />
      <Sorts spec={spec} table={table} edit={edit} editable={editable} />
      <fieldset disabled={!editable}>
        <legend>Page size</legend>
        <label>
          Default <input type="number" min={1} value={spec.default_limit ?? 25} onChange={(event) => edit({ default_limit: Number(event.target.value) })} />
        </label>{" "}
        <label>
          Most <input type="number" min={1} value={spec.max_limit ?? 100} onChange={(event) => edit({ max_limit: Number(event.target.value) })} />
        </label>
      </fieldset>
      <CallerChoices spec={spec} table={table} compiled={compiled} edit={edit} editable={editable} />
      {problem && <p className="problem" role="alert" data-testid="view-problem">{problem}</p>}
      {editable && (
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={!!problem || saved || change.busy}
            onClick={() => void change.run(async () => (await client()).call("updateView", { path, body: spec }))}
          >
            Save as version {view.data.versions.length + 1}
          </button>
          <button type="button" disabled={saved} onClick={() => setSpec(view.data!.spec)}>Discard changes</button>
        </div>
      )}
      <Preview baseId={base.id} spec={spec} values={values} setValues={setValues} />
      <section>
        <h3>Versions</h3>
        <ol className="versions">
          {view.data.versions.map((version) => (
            <li key={version.version}>
              Version {version.version} <span className="hint">by {version.actor} at {version.created_at}</span>
              {version.version === view.data!.active_version && <span className="badge">edited</span>}
              {version.version === view.data!.published_version && <span className="badge applied">published</span>}
              {editable && version.version !== view.data!.active_version && (
                <button
                  type="button"
                  onClick={() =>
                    void change.run(async () =>
                      (await client()).call("rollbackView", { path, body: { version: version.version } }),
                    )
                  }
                >
                  Make version {version.version} current
                </button>
              )}
            </li>
          ))}
        </ol>
      </section>
      {can(role, "shareApi") && (
        <Publish key={view.data.active_version} view={view.data} run={change.run} onKey={setSecret} />
      )}
      {view.data.published && view.data.published_spec && (
        <ViewApi base={base} view={view.data} spec={view.data.published_spec} secret={secret} setSecret={setSecret} />
      )}
    </section>
  );
}

type Edit = (patch: Partial<Spec>) => void;

function Params({ spec, edit, editable }: { spec: Spec; edit: Edit; editable: boolean }) {
  const params = spec.params ?? [];
  const set = (index: number, patch: Partial<Schemas["ParamSpec"]>) =>
    edit({ params: params.map((param, at) => (at === index ? { ...param, ...patch } : param)) });
  return (
    <fieldset disabled={!editable}>
      <legend>Parameters</legend>
      {params.map((param, index) => (
        <div className="row" key={index}>
          <input aria-label="Parameter name" value={param.name} onChange={(event) => set(index, { name: event.target.value })} />
          <select aria-label="Parameter type" value={param.type} onChange={(event) => set(index, { type: event.target.value as Schemas["FieldType"] })}>
            {["text", "number", "boolean", "date", "datetime", "email", "url", "single_select", "uuid"].map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
          <select
            aria-label="When left out"
            value={param.when_absent ?? "error"}
            onChange={(event) => set(index, { when_absent: event.target.value as Schemas["WhenAbsent"], required: undefined })}
          >
            <option value="error">required</option>
            <option value="no_filter">optional: no filter</option>
            <option value="no_rows">optional: no rows</option>
          </select>
          <input aria-label="Example" placeholder="example" value={param.example ?? ""} onChange={(event) => set(index, { example: event.target.value || null })} />
          <button type="button" onClick={() => edit({ params: params.filter((_, at) => at !== index) })}>Remove</button>
        </div>
      ))}
      <button type="button" onClick={() => edit({ params: [...params, { name: `param${params.length + 1}`, type: "text", when_absent: "error" }] })}>
        Add parameter
      </button>
    </fieldset>
  );
}

function Filters({ spec, table, compiled, edit, editable }: {
  spec: Spec; table: Schemas["Table"]; compiled: Compiler | null; edit: Edit; editable: boolean;
}) {
  const filters = spec.filters ?? [];
  const columns = [...table.fields.map((field) => field.name), ...SYSTEM_COLUMNS.map((column) => column.name)];
  const set = (index: number, patch: Partial<Schemas["ViewFilter"]>) =>
    edit({ filters: filters.map((filter, at) => (at === index ? { ...filter, ...patch } : filter)) });
  return (
    <fieldset disabled={!editable}>
      <legend>Filters (always applied)</legend>
      {filters.map((filter, index) => {
        const type = typeOf(table, filter.field);
        const ops = compiled && type ? operatorsOf(compiled, type) : [filter.op];
        const arg = filter.value as { param?: string } | null;
        const param = typeof arg === "object" && arg !== null && "param" in arg ? arg.param : undefined;
        return (
          <div className="row" key={index}>
            <select aria-label="Filter field" value={filter.field} onChange={(event) => set(index, { field: event.target.value })}>
              {columns.map((column) => <option key={column}>{column}</option>)}
            </select>
            <select aria-label="Filter operator" value={filter.op} onChange={(event) => set(index, { op: event.target.value as Schemas["Operator"] })}>
              {ops.map((op) => <option key={op}>{op}</option>)}
            </select>
            <select
              aria-label="Filter value from"
              value={param === undefined ? "" : `param:${param}`}
              onChange={(event) =>
                set(index, { value: event.target.value ? { param: event.target.value.slice(6) } : "" })
              }
            >
              <option value="">a value</option>
              {(spec.params ?? []).map((candidate) => (
                <option key={candidate.name} value={`param:${candidate.name}`}>parameter {candidate.name}</option>
              ))}
            </select>
            {param === undefined && (
              <input
                aria-label="Filter value"
                value={Array.isArray(filter.value) ? filter.value.join(",") : String(filter.value ?? "")}
                placeholder={filter.op === "in" || filter.op === "between" ? "a,b" : "value"}
                onChange={(event) =>
                  set(index, {
                    value: filter.op === "in" || filter.op === "between" ? event.target.value.split(",") : event.target.value,
                  })
                }
              />
            )}
            <button type="button" onClick={() => edit({ filters: filters.filter((_, at) => at !== index) })}>Remove</button>
          </div>
        );
      })}
      <button type="button" onClick={() => edit({ filters: [...filters, { field: columns[0], op: "eq", value: "" }] })}>
        Add filter
      </button>
    </fieldset>
  );
}

function Sorts({ spec, table, edit, editable }: { spec: Spec; table: Schemas["Table"]; edit: Edit; editable: boolean }) {
  const sort = spec.sort ?? [];
  const columns = exposed(spec, table);
  const set = (index: number, key: string) => edit({ sort: sort.map((old, at) => (at === index ? key : old)) });
  return (
    <fieldset disabled={!editable}>
      <legend>Order</legend>
      {sort.map((key, index) => {
        const [column, direction = "asc"] = key.split(/[:.](?=(?:asc|desc)$)/);
        return (
          <div className="row" key={index}>
            <select aria-label="Sort field" value={column} onChange={(event) => set(index, `${event.target.value}:${direction}`)}>
              {columns.map((name) => <option key={name}>{name}</option>)}
            </select>
            <select aria-label="Sort direction" value={direction} onChange={(event) => set(index, `${column}:${event.target.value}`)}>
              <option value="asc">ascending</option>
              <option value="desc">descending</option>
            </select>
            <button type="button" onClick={() => edit({ sort: sort.filter((_, at) => at !== index) })}>Remove</button>
          </div>
        );
      })}
      <button type="button" onClick={() => edit({ sort: [...sort, `${columns[0]}:asc`] })}>Add sort</button>
    </fieldset>
  );
}

function CallerChoices({ spec, table, compiled, edit, editable }: {
  spec: Spec; table: Schemas["Table"]; compiled: Compiler | null; edit: Edit; editable: boolean;
}) {
  const sorts = spec.allowed_sorts ?? [];
  const filters = spec.allowed_filters ?? [];
  const columns = exposed(spec, table);
  const toggleOp = (field: string, op: Schemas["Operator"]) => {
    const current = filters.find((allowed) => allowed.field === field)?.ops ?? [];
    const ops = current.includes(op) ? current.filter((candidate) => candidate !== op) : [...current, op];
    const rest = filters.filter((allowed) => allowed.field !== field);
    edit({ allowed_filters: ops.length ? [...rest, { field, ops }] : rest });
  };
  return (
    <fieldset disabled={!editable}>
      <legend>What a caller may add</legend>
      <div className="row">
        Sort on:
        {columns.map((column) => (
          <label key={column}>
            <input
              type="checkbox"
              checked={sorts.includes(column)}
              onChange={() =>
                edit({ allowed_sorts: sorts.includes(column) ? sorts.filter((name) => name !== column) : [...sorts, column] })
              }
            />{" "}
            {column}
          </label>
        ))}
      </div>
      <details>
        <summary>Filters a caller may add ({filters.length})</summary>
        {columns.map((column) => {
          const type = typeOf(table, column);
          const allowed = filters.find((candidate) => candidate.field === column)?.ops ?? [];
          return (
            <div className="row" key={column}>
              <strong>{column}</strong>
              {compiled && type && operatorsOf(compiled, type).map((op) => (
                <label key={op}>
                  <input type="checkbox" aria-label={`${column} ${op}`} checked={allowed.includes(op)} onChange={() => toggleOp(column, op)} /> {op}
                </label>
              ))}
            </div>
          );
        })}
      </details>
    </fieldset>
  );
}

/** The rows the view gives, as the records API lists them for this member. */
function Preview({ baseId, spec, values, setValues }: {
  baseId: string; spec: Spec; values: Record<string, string>; setValues: (values: Record<string, string>) => void;
}) {
  const [rows, setRows] = useState<Schemas["Record"][] | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Where the table stood when the rows shown were read; a change after it reads them again.
  const [position, setPosition] = useState<string | undefined>(undefined);
  const [reads, setReads] = useState(0);
  const query = previewQuery(spec, values);
  const key = JSON.stringify(query);
  useEffect(() => {
    setError(null);
    setPosition(undefined);
    if (query === null) return setRows(null);
    if ("empty" in query) return setRows([]);
    let current = true;
    const timer = setTimeout(() => {
      void client(baseId)
        .then((api) => api.records.list({ table: spec.table, ...query }))
        .then((page) => {
          if (!current) return;
          setRows(page.data);
          setPosition(page.position);
        }, (failure: unknown) => current && setError(failure));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [baseId, spec.table, key, reads]);
  // Live: the first change to the records the view selects, after the rows shown, reads them
  // again (a sorted, limited page is the server's to compute).
  useEffect(() => {
    if (position === undefined || query === null || "empty" in query) return;
    const stop = new AbortController();
    const { where, fields } = query;
    const follow = async () => {
      const api = await client(baseId);
      const events = api.records.events({ table: spec.table, where, fields }, { signal: stop.signal, lastEventId: position });
      for await (const _ of events) {
        setReads((current) => current + 1);
        return;
      }
    };
    // A stream that fails leaves the rows as they were read.
    follow().catch(() => undefined);
    return () => stop.abort();
  }, [position]);
  const fields = spec.fields?.length ? spec.fields : rows?.[0] ? Object.keys(rows[0].values) : [];
  return (
    <section aria-label="Preview">
      <h3>Preview</h3>
      {(spec.params ?? []).map((param) => (
        <label key={param.name}>
          {param.name}{" "}
          <input
            aria-label={`Preview ${param.name}`}
            value={values[param.name] ?? ""}
            onChange={(event) => setValues({ ...values, [param.name]: event.target.value })}
          />
        </label>
      ))}
      <Problem error={error} />
      {query === null && <p className="hint">Give every required parameter a value to preview the rows.</p>}
      {rows && (
        <table className="list" data-testid="preview">
          <thead>
            <tr>{fields.map((field) => <th key={field}>{field}</th>)}</tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                {fields.map((field) => <td key={field}>{valueText(row.values[field])}</td>)}
              </tr>
            ))}
            {rows.length === 0 && <tr><td colSpan={Math.max(1, fields.length)}>No rows.</td></tr>}
          </tbody>
        </table>
      )}
    </section>
  );
}


function Publish({ view, run, onKey }: {
  view: Schemas["View"];
  run: (change: () => Promise<unknown>) => Promise<boolean>;
  onKey: (key: string) => void;
}) {
  const path = { baseId: view.base_id, view: view.name };
  function publish(data: FormData, enabled: boolean) {
    const seconds = (name: string) => Number(data.get(name) || 0);
    const body: Schemas["PublishRequest"] = {
      enabled,
      slug: String(data.get("slug") || "") || null,
      auth: String(data.get("auth")) as Schemas["AuthMode"],
      cache: { max_age: seconds("max_age"), stale_while_revalidate: seconds("swr"), stale_if_error: seconds("sie") },
      version: Number(data.get("version")),
    };
    void run(async () => (await client()).call("publishView", { path, body }));
  }
  return (
    <section aria-label="Publishing">
      <h3>Publishing</h3>
      <p>
        {view.published
          ? `Published: ${view.url} serves version ${view.published_version}.`
          : "Not published: nothing answers outside the workspace."}
      </p>
      <form className="stacked" aria-label="Publish" onSubmit={(event) => {
          event.preventDefault();
          publish(new FormData(event.currentTarget), true);
        }}>
        <label>
          Slug <input name="slug" defaultValue={view.slug ?? ""} pattern="[a-z0-9]([a-z0-9\-]{0,62}[a-z0-9])?"
            title="1 to 64 lowercase letters, digits and hyphens, not starting or ending with a hyphen" required placeholder="open-orders" />
        </label>
        <label>
          Who may call it{" "}
          <select name="auth" defaultValue={view.auth}>
            <option value="public">anyone (public)</option>
            <option value="view_key">holders of a view key</option>
            <option value="base_token">holders of an API token of this base</option>
          </select>
        </label>
        <label>
          Version{" "}
          <select name="version" defaultValue={view.active_version}>
            {view.versions.map((version) => <option key={version.version} value={version.version}>{version.version}</option>)}
          </select>
        </label>
        <label>
          Fresh for <input name="max_age" type="number" min={0} defaultValue={view.cache.max_age ?? 60} /> s
        </label>
        <label>
          Stale while revalidating <input name="swr" type="number" min={0} defaultValue={view.cache.stale_while_revalidate ?? 0} /> s
        </label>
        <label>
          Stale if the origin fails <input name="sie" type="number" min={0} defaultValue={view.cache.stale_if_error ?? 0} /> s
        </label>
        <div className="actions">
          <button type="submit" className="primary">{view.published ? "Publish again" : "Publish"}</button>
          {view.published && (
            <button type="button" onClick={(event) => event.currentTarget.form && publish(new FormData(event.currentTarget.form), false)}>
              Unpublish
            </button>
          )}
        </div>
      </form>
      {view.auth === "view_key" && <ViewKeys view={view} onKey={onKey} />}
    </section>
  );
}
