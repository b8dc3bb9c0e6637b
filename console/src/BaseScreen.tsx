import type { Schemas } from "@nclcdbaas/sdk";
import { useState, type FormEvent } from "react";
import { Backup } from "./Backup";
import { Fields } from "./Fields";
import { Grid } from "./Grid";
import { useLoaded } from "./hooks";
import { History } from "./History";
import { Import } from "./Import";
import { can, hrefOf, TABLE_TABS, type Place, type Section } from "./places";
import { Problem } from "./Problem";
import { RulesPolicies } from "./RulesPolicies";
import { SchemaOps } from "./SchemaOps";
import { client } from "./session";
import { Tokens } from "./Tokens";
import { Usage } from "./Usage";
import { Views } from "./Views";
import { Webhooks } from "./Webhooks";

type Base = Schemas["Base"];
type BasePlace = Extract<Place, { screen: "base" }>;

/** The sections beside the tables, and who sees them. */
const SECTION_LINKS: Array<{ section: Section; title: string; shown: (role: string) => boolean }> = [
  { section: "views", title: "Views", shown: (role) => can(role, "readData") },
  { section: "tokens", title: "API tokens", shown: (role) => can(role, "shareApi") },
  { section: "webhooks", title: "Webhooks", shown: (role) => can(role, "shareApi") },
  { section: "usage", title: "Usage", shown: (role) => can(role, "shareApi") },
  { section: "schema-ops", title: "Schema history", shown: (role) => can(role, "alterSchema") },
  { section: "backup", title: "Backup", shown: (role) => can(role, "alterSchema") },
];

export function BaseScreen({ place }: { place: BasePlace }) {
  const { baseId } = place;
  const loaded = useLoaded(async () => {
    const api = await client();
    const [base, me] = await Promise.all([api.call("getBase", { path: { baseId } }), api.call("me")]);
    const role = me.workspaces.find((workspace) => workspace.id === base.workspace_id)?.role ?? "viewer";
    return { base, role };
  }, [baseId]);
  const [error, setError] = useState<unknown>(null);
  const base = loaded.data?.base;
  const role = loaded.data?.role ?? "viewer";

  async function createTable(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    setError(null);
    try {
      const api = await client();
      await api.call("createTable", { path: { baseId }, body: { name } });
      form.reset();
      await loaded.reload();
      window.location.hash = hrefOf({ screen: "base", baseId, section: "tables", item: name });
    } catch (failure) {
      setError(failure);
    }
  }

  const link = (target: BasePlace, title: string) => (
    <a href={hrefOf(target)} aria-current={current(place, target) ? "page" : undefined}>
      {title}
    </a>
  );
  return (
    <div className="base">
      <aside>
        <h1>{base?.name ?? "…"}</h1>
        <nav aria-label="Tables">
          <h2 className="aside-title">Tables</h2>
          <ul>
            {base?.tables.map((table) => (
              <li key={table.id}>{link({ screen: "base", baseId, section: "tables", item: table.name, tab: "records" }, table.name)}</li>
            ))}
          </ul>
        </nav>
        {can(role, "alterSchema") && (
          <form className="stacked" aria-label="New table" onSubmit={(event) => void createTable(event)}>
            <label>
              New table <input name="name" required pattern="[a-z][a-z0-9_]{0,62}" placeholder="name" />
            </label>
            <button type="submit">Create table</button>
          </form>
        )}
        <nav aria-label="Base">
          <ul>
            {SECTION_LINKS.filter((entry) => entry.shown(role)).map((entry) => (
              <li key={entry.section}>{link({ screen: "base", baseId, section: entry.section }, entry.title)}</li>
            ))}
          </ul>
        </nav>
      </aside>
      <section className="content">
        <Problem error={loaded.error ?? error} />
        {base && <Content place={place} base={base} role={role} reload={loaded.reload} />}
      </section>
    </div>
  );
}

function current(place: BasePlace, target: BasePlace): boolean {
  return place.section === target.section && (target.section !== "tables" || place.item === target.item);
}

function Content({ place, base, role, reload }: { place: BasePlace; base: Base; role: string; reload: () => Promise<unknown> }) {
  switch (place.section) {
    case "views":
      return <Views base={base} role={role} selected={place.item} />;
    case "tokens":
      return <Tokens baseId={base.id} />;
    case "webhooks":
      return <Webhooks base={base} />;
    case "usage":
      return <Usage baseId={base.id} role={role} />;
    case "schema-ops":
      return <SchemaOps baseId={base.id} />;
    case "backup":
      return can(role, "alterSchema") ? <Backup key={base.id} base={base} /> : <p>Only the workspace's admins back up a base.</p>;
    case "tables": {
      const table = base.tables.find((candidate) => candidate.name === place.item);
      if (!table) return <p>{base.tables.length ? "Pick a table." : "This base has no tables yet."}</p>;
      const tab = place.tab ?? "records";
      return (
        <>
          <h2>{table.name}</h2>
          <nav className="tabs" aria-label="Table">
            {TABLE_TABS.filter((name) => (name !== "rules" || can(role, "alterSchema")) && (name !== "import" || can(role, "writeData"))).map((name) => (
              <a key={name} href={hrefOf({ ...place, tab: name })} aria-current={tab === name ? "page" : undefined}>
                {{ records: "Records", fields: "Fields", history: "History", rules: "Rules & policies", import: "Import" }[name]}
              </a>
            ))}
          </nav>
          {tab === "records" && (
            <Grid
              key={`${table.id}:${base.catalog_version}:${JSON.stringify(place.filter ?? [])}`}
              baseId={base.id}
              table={table}
              tables={base.tables}
              preset={place.filter}
              readOnly={!can(role, "writeData")}
            />
          )}
          {tab === "fields" && (
            <Fields baseId={base.id} table={table} tables={base.tables} editable={can(role, "alterSchema")} changed={reload} />
          )}
          {tab === "history" && <History base={base} table={table} editable={can(role, "writeData")} />}
          {tab === "import" && can(role, "writeData") && <Import key={table.id} baseId={base.id} table={table} changed={() => void reload()} />}
          {tab === "rules" && can(role, "alterSchema") && (
            <RulesPolicies key={`${table.id}:${base.catalog_version}`} baseId={base.id} table={table} changed={reload} />
          )}
        </>
      );
    }
  }
}
