import type { Schemas } from "@nclcdbaas/sdk";
import { useEffect, type FormEvent } from "react";
import { RestoreArchive } from "./Backup";
import { useChange, useLoaded } from "./hooks";
import { can, hrefOf } from "./places";
import { Problem } from "./Problem";
import { client } from "./session";

type Workspace = Schemas["Workspace"];
type Base = Schemas["BaseSummary"];

/** How often the bases are listed again while one is being restored. */
const RESTORING_POLL_MS = 3000;

export function Home() {
  const loaded = useLoaded(async () => {
    const api = await client();
    const [me, invitations] = await Promise.all([api.call("me"), api.call("listMyInvitations")]);
    // A suspended workspace's bases are refused (TENANT_SUSPENDED): it is shown with a notice instead.
    const workspaces: Array<Workspace & { bases: Base[] }> = await Promise.all(
      me.workspaces.map(async (workspace) => {
        if (workspace.suspended) return { ...workspace, bases: [] };
        const bases = await api.call("listBases", { path: { workspaceId: workspace.id } });
        return { ...workspace, bases: bases.data };
      }),
    );
    return {
      operator: me.operator,
      workspaces,
      invitations: invitations.data.filter((invitation) => invitation.status === "pending"),
    };
  }, []);
  const change = useChange(loaded.reload);
  // A base a restore or clone fills is usable once its job ends: look again until none is.
  const restoring = loaded.data?.workspaces.some((workspace) => workspace.bases.some((base) => base.restoring)) ?? false;
  useEffect(() => {
    if (!restoring) return;
    const timer = setInterval(() => void loaded.reload(), RESTORING_POLL_MS);
    return () => clearInterval(timer);
  }, [restoring, loaded.reload]);

  function createBase(event: FormEvent<HTMLFormElement>, workspaceId: string) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    void change.run(async () => {
      const base = await (await client()).call("createBase", { path: { workspaceId }, body: { name } });
      window.location.hash = hrefOf({ screen: "base", baseId: base.id, section: "tables" });
    });
  }

  const answer = (invitationId: string, accept: boolean) =>
    void change.run(async () =>
      (await client()).call(accept ? "acceptInvitation" : "declineInvitation", { path: { invitationId } }),
    );

  return (
    <section>
      <h1>Your bases</h1>
      <Problem error={loaded.error ?? change.error} />
      {loaded.data === null && !loaded.error && <p>Loading…</p>}
      {loaded.data?.operator && !loaded.data.workspaces.length && (
        <p>
          You are one of the platform's operators: tenants, the platform's audit log and its health are in the{" "}
          <a href={hrefOf({ screen: "admin", tab: "tenants" })}>operators' section</a>.
        </p>
      )}
      {loaded.data?.invitations.map((invitation) => (
        <div key={invitation.id} className="invitation" role="status">
          {invitation.invited_by.name} invites you to <strong>{invitation.workspace_name}</strong> as {invitation.role}.{" "}
          <button type="button" onClick={() => answer(invitation.id, true)}>Accept</button>{" "}
          <button type="button" onClick={() => answer(invitation.id, false)}>Decline</button>
        </div>
      ))}
      {loaded.data?.workspaces.map((workspace) => (
        <section key={workspace.id} className="workspace" aria-label={`Workspace ${workspace.name}`}>
          <h2>
            {workspace.name} <span className="role">{workspace.role}</span>{" "}
            {workspace.suspended ? (
              <span className="badge suspended">Suspended</span>
            ) : (
              <>
                <a className="small" href={hrefOf({ screen: "members", workspaceId: workspace.id })}>Members</a>{" "}
                {can(workspace.role, "manageMembers") && (
                  <a className="small" href={hrefOf({ screen: "audit", workspaceId: workspace.id })}>Audit log</a>
                )}
              </>
            )}
          </h2>
          {workspace.suspended ? (
            <p className="suspended-notice" role="status">
              <strong>Suspended by the platform's operators — contact support.</strong> Its bases, API tokens and
              published views are unavailable until they resume it.
            </p>
          ) : (
            <>
              {workspace.bases.length === 0 && <p>No bases yet.</p>}
              <ul className="bases">
                {workspace.bases.map((base) => (
                  <li key={base.id}>
                    {base.restoring ? (
                      <>
                        {base.name} <span className="badge pending">restoring…</span>
                      </>
                    ) : (
                      <a href={hrefOf({ screen: "base", baseId: base.id, section: "tables" })}>{base.name}</a>
                    )}
                  </li>
                ))}
              </ul>
              {can(workspace.role, "alterSchema") && (
                <form className="inline" onSubmit={(event) => createBase(event, workspace.id)}>
                  <label>
                    New base <input name="name" required maxLength={100} placeholder="Name" />
                  </label>
                  <button type="submit">Create base</button>
                </form>
              )}
              {can(workspace.role, "alterSchema") && (
                <RestoreArchive
                  workspace={workspace}
                  holder={workspace.bases.find((base) => !base.restoring)}
                  changed={loaded.reload}
                />
              )}
            </>
          )}
        </section>
      ))}
    </section>
  );
}
