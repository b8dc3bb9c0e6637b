// A workspace's members and invitations: invite by email with a role, change a role, remove
// a member, revoke an invitation; each control only for the roles the API lets use it.

import type { Schemas } from "@nclcdbaas/sdk";
import type { FormEvent } from "react";
import { useChange, useLoaded } from "./hooks";
import { can, grantable } from "./places";
import { Problem } from "./Problem";
import { client } from "./session";

export function Members({ workspaceId }: { workspaceId: string }) {
  const loaded = useLoaded(async () => {
    const api = await client();
    const me = await api.call("me");
    const role = me.workspaces.find((workspace) => workspace.id === workspaceId)?.role ?? "viewer";
    const workspace = me.workspaces.find((candidate) => candidate.id === workspaceId);
    const members = await api.call("listMembers", { path: { workspaceId } });
    const invitations = can(role, "manageMembers")
      ? (await api.call("listInvitations", { path: { workspaceId } })).data
      : [];
    return { me, role, name: workspace?.name ?? "", members: members.data, invitations };
  }, [workspaceId]);
  const change = useChange(loaded.reload);
  const data = loaded.data;
  const roles = grantable(data?.role ?? "viewer");

  function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    const body = { email: String(values.get("email")), role: String(values.get("role")) as Schemas["Role"] };
    void change.run(async () => {
      await (await client()).call("setMember", { path: { workspaceId }, body });
      form.reset();
    });
  }

  return (
    <section>
      <h1>Members{data ? ` of ${data.name}` : ""}</h1>
      <Problem error={loaded.error ?? change.error} />
      <table className="list">
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {data?.members.map((member) => {
            const mayChange = roles.includes(member.role as (typeof roles)[number]) && member.user_id !== data.me.id;
            return (
              <tr key={member.user_id}>
                <th scope="row">{member.name}</th>
                <td>{member.email}</td>
                <td>
                  {mayChange ? (
                    <select
                      aria-label={`Role of ${member.email}`}
                      value={member.role}
                      onChange={(event) =>
                        void change.run(async () =>
                          (await client()).call("setMember", {
                            path: { workspaceId },
                            body: { email: member.email, role: event.target.value as Schemas["Role"] },
                          }),
                        )
                      }
                    >
                      {roles.map((role) => <option key={role}>{role}</option>)}
                    </select>
                  ) : (
                    member.role
                  )}
                </td>
                <td>
                  {mayChange && (
                    <button
                      type="button"
                      aria-label={`Remove ${member.email}`}
                      onClick={() =>
                        void change.run(async () =>
                          (await client()).call("removeMember", { path: { workspaceId, userId: member.user_id } }),
                        )
                      }
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {roles.length > 0 && (
        <>
          <h2>Invite</h2>
          <form className="inline" aria-label="Invite" onSubmit={invite}>
            <label>
              Email <input name="email" type="email" required />
            </label>
            <label>
              Role{" "}
              <select name="role" defaultValue="editor">
                {roles.map((role) => <option key={role}>{role}</option>)}
              </select>
            </label>
            <button type="submit" disabled={change.busy}>Invite</button>
          </form>
          <h2>Pending invitations</h2>
          {data?.invitations.length === 0 && <p>None.</p>}
          <ul>
            {data?.invitations.map((invitation) => (
              <li key={invitation.id}>
                {invitation.email} as {invitation.role} <span className="hint">until {invitation.expires_at}</span>{" "}
                <button
                  type="button"
                  onClick={() =>
                    void change.run(async () =>
                      (await client()).call("revokeInvitation", { path: { workspaceId, invitationId: invitation.id } }),
                    )
                  }
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
