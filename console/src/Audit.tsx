// A workspace's audit log, for its admins: who did what, when, to which resource, newest
// first; narrowed by person, action, base and time; each event's details (a record's
// fields before and after) on demand.

import { useState, type FormEvent } from "react";
import { AuditTable, useAuditPages } from "./AuditEvents";
import { actorName } from "./history";
import { useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";

type Query = NonNullable<Parameters<typeof listQuery>[0]>;

/** The filters as the API takes them. */
function listQuery(filters: { actor?: string; action?: string; base?: string; since?: string; until?: string }) {
  const query: Record<string, string | number> = { limit: 50 };
  for (const [key, value] of Object.entries(filters)) if (value) query[key] = value;
  return query;
}

export function Audit({ workspaceId }: { workspaceId: string }) {
  const [filters, setFilters] = useState<Query>({});
  // Each "Show" reads the log again, with the same filters too.
  const [shown, setShown] = useState(0);
  const context = useLoaded(async () => {
    const api = await client();
    const [members, bases] = await Promise.all([
      api.call("listMembers", { path: { workspaceId } }),
      api.call("listBases", { path: { workspaceId } }),
    ]);
    return {
      members: members.data,
      names: new Map(members.data.map((member) => [member.user_id, member.name ?? member.email])),
      bases: bases.data,
    };
  }, [workspaceId]);
  const log = useAuditPages(
    async (cursor) =>
      (await client()).call("listAuditEvents", {
        path: { workspaceId },
        query: cursor ? { ...listQuery(filters), cursor } : listQuery(filters),
      }),
    [workspaceId, JSON.stringify(filters), shown],
  );
  const baseName = (id: string | null | undefined) => context.data?.bases.find((base) => base.id === id)?.name ?? "";

  function narrow(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const time = (name: string) => {
      const text = String(data.get(name) ?? "");
      return text ? new Date(text).toISOString() : undefined;
    };
    setFilters({
      actor: String(data.get("actor") ?? "") || undefined,
      action: String(data.get("action") ?? "").trim() || undefined,
      base: String(data.get("base") ?? "") || undefined,
      since: time("since"),
      until: time("until"),
    });
    setShown(shown + 1);
  }

  return (
    <section>
      <h1>Audit log</h1>
      <p className="hint">Every change to this workspace's bases, views, tokens, webhooks and members, newest first.</p>
      <Problem error={context.error ?? log.error} />
      <form className="inline" aria-label="Narrow the log" onSubmit={narrow}>
        <label>
          Who{" "}
          <select name="actor" defaultValue="">
            <option value="">anyone</option>
            {context.data?.members.map((member) => (
              <option key={member.user_id} value={`user:${member.user_id}`}>{member.name ?? member.email}</option>
            ))}
          </select>
        </label>
        <label>
          Action <input name="action" placeholder="record.* or token.create" maxLength={200} />
        </label>
        <label>
          Base{" "}
          <select name="base" defaultValue="">
            <option value="">all</option>
            {context.data?.bases.map((base) => <option key={base.id} value={base.id}>{base.name}</option>)}
          </select>
        </label>
        <label>
          From <input name="since" type="datetime-local" />
        </label>
        <label>
          Until <input name="until" type="datetime-local" />
        </label>
        <button type="submit">Show</button>
      </form>
      <AuditTable
        log={log}
        who={(actor) => actorName(actor, context.data?.names ?? new Map())}
        base={baseName}
      />
    </section>
  );
}
