import type { Schemas } from "@nclcdbaas/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { canAlterSchema, hrefOf } from "./places";
import { Problem } from "./Problem";
import { client } from "./session";

type Workspace = Schemas["Workspace"];
type Base = Schemas["BaseSummary"];

export function Home() {
  const [workspaces, setWorkspaces] = useState<Array<Workspace & { bases: Base[] }> | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function load() {
    try {
      const api = await client();
      const me = await api.call("me");
      const withBases = await Promise.all(
        me.workspaces.map(async (workspace) => {
          const bases = await api.call("listBases", { path: { workspaceId: workspace.id } });
          return { ...workspace, bases: bases.data };
        }),
      );
      setWorkspaces(withBases);
    } catch (failure) {
      setError(failure);
    }
  }
  useEffect(() => void load(), []);

  async function createBase(event: FormEvent<HTMLFormElement>, workspaceId: string) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "");
    setError(null);
    try {
      const api = await client();
      const base = await api.call("createBase", { path: { workspaceId }, body: { name } });
      form.reset();
      window.location.hash = hrefOf({ screen: "base", baseId: base.id });
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section>
      <h1>Your bases</h1>
      <Problem error={error} />
      {workspaces === null && !error && <p>Loading…</p>}
      {workspaces?.map((workspace) => (
        <section key={workspace.id} className="workspace" aria-label={`Workspace ${workspace.name}`}>
          <h2>
            {workspace.name} <span className="role">{workspace.role}</span>
          </h2>
          {workspace.bases.length === 0 && <p>No bases yet.</p>}
          <ul className="bases">
            {workspace.bases.map((base) => (
              <li key={base.id}>
                <a href={hrefOf({ screen: "base", baseId: base.id })}>{base.name}</a>
              </li>
            ))}
          </ul>
          {canAlterSchema(workspace.role) && (
            <form className="inline" onSubmit={(event) => void createBase(event, workspace.id)}>
              <label>
                New base <input name="name" required maxLength={100} placeholder="Name" />
              </label>
              <button type="submit">Create base</button>
            </form>
          )}
        </section>
      ))}
    </section>
  );
}
