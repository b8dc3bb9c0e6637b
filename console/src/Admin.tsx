// The platform operators' section (`#/admin`, and the console's `/admin` URL): every
// tenant, found by name, id or a member's email, with its plan, usage and state (one
// tenant's page: AdminTenant.tsx); every tenant's audit log; the platform's health. Only
// for operators (`me.operator`); anyone else is told so.

import type { Schemas } from "@nclcdbaas/sdk";
import { useState, type FormEvent } from "react";
import { AdminTenant, TenantState } from "./AdminTenant";
import { AuditTable, useAuditPages } from "./AuditEvents";
import { useLoaded } from "./hooks";
import { listTenants, platformAudit, platformHealth, type AuditFilters } from "./operator";
import { ADMIN_TABS, hrefOf, type AdminTab, type Place } from "./places";
import { Problem } from "./Problem";
import { myActor } from "./session";

type AdminPlace = Extract<Place, { screen: "admin" }>;

const TAB_TITLES: Record<AdminTab, string> = { tenants: "Tenants", audit: "Audit", health: "Health" };
const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const count = (value: number) => value.toLocaleString("en");
const plural = (value: number, one: string, many: string) => `${count(value)} ${value === 1 ? one : many}`;

export function Admin({ place, me }: { place: AdminPlace; me: { data: Schemas["Me"] | null; error: unknown } }) {
  if (!me.data) {
    return (
      <section>
        <h1>Operators</h1>
        <Problem error={me.error} />
        {!me.error && <p>Loading…</p>}
      </section>
    );
  }
  if (!me.data.operator) {
    return (
      <section>
        <h1>Operators</h1>
        <p className="problem" role="alert">
          This section is for the platform's operators, and {me.data.email} is not one of them.
        </p>
        <p><a href={hrefOf({ screen: "home" })}>Back to your bases</a></p>
      </section>
    );
  }
  return (
    <section className="admin">
      <h1>Operators</h1>
      <nav className="tabs" aria-label="Operators">
        {ADMIN_TABS.map((tab) => (
          <a key={tab} href={hrefOf({ screen: "admin", tab })} aria-current={place.tab === tab ? "page" : undefined}>
            {TAB_TITLES[tab]}
          </a>
        ))}
      </nav>
      {place.tab === "tenants" && (place.tenantId ? <AdminTenant tenantId={place.tenantId} /> : <Tenants q={place.q ?? ""} />)}
      {place.tab === "audit" && <PlatformAudit key={place.tenant ?? ""} tenant={place.tenant} />}
      {place.tab === "health" && <Health />}
    </section>
  );
}

/** The tenants matching `q` (all of them without), by name; the search is kept in the URL. */
function Tenants({ q }: { q: string }) {
  const loaded = useLoaded(() => listTenants(q), [q]);
  const list = loaded.data;

  function find(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get("q") ?? "").trim();
    const target = hrefOf({ screen: "admin", tab: "tenants", q: text || undefined });
    // The same search again reads the list again.
    if (window.location.hash === target) void loaded.reload();
    else window.location.hash = target;
  }

  return (
    <section aria-label="Tenants">
      <form className="inline" role="search" aria-label="Find tenants" onSubmit={find}>
        <label>
          Find{" "}
          <input key={q} name="q" type="search" defaultValue={q} maxLength={100} size={40}
            placeholder="name, tenant, workspace or base id, member's email" />
        </label>
        <button type="submit">Search</button>
      </form>
      <Problem error={loaded.error} />
      {list === null && !loaded.error && <p>Loading…</p>}
      {list && (
        <p data-testid="tenant-totals">
          {plural(list.total, "tenant", "tenants")}, {count(list.suspended)} suspended
          {q && <span className="hint"> · {plural(list.data.length, "tenant matches", "tenants match")} “{q}”</span>}
        </p>
      )}
      {list && (
        <table className="list" aria-label="Tenants">
          <thead>
            <tr>
              <th>Name</th><th>Plan</th><th>Workspaces</th><th>Bases</th><th>Members</th><th>Requests this month</th><th>State</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((tenant) => (
              <tr key={tenant.id}>
                <th scope="row">
                  <a href={hrefOf({ screen: "admin", tab: "tenants", tenantId: tenant.id })}>{tenant.name}</a>
                </th>
                <td>{tenant.plan}</td>
                <td>{count(tenant.workspaces)}</td>
                <td>{count(tenant.bases)}</td>
                <td>{count(tenant.members)}</td>
                <td>{count(tenant.requests_this_month)}</td>
                <td><TenantState tenant={tenant} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && !list.data.length && <p>No tenant matches.</p>}
    </section>
  );
}

/** Who did it: the operator reading, or the actor as the log names it. */
function actorText(actor: string, me: string | null): string {
  if (actor === me) return "you";
  const [kind, id = ""] = actor.split(":");
  if (kind === "user") return `user ${id}`;
  if (kind === "token") return `API token ${id}`;
  return actor;
}

/** Every tenant's audit log, newest first, narrowed by tenant, action and actor. */
function PlatformAudit({ tenant }: { tenant?: string }) {
  const [filters, setFilters] = useState<AuditFilters>({ tenant });
  // Each "Show" reads the log again, with the same filters too.
  const [shown, setShown] = useState(0);
  const log = useAuditPages((cursor) => platformAudit(filters, cursor), [JSON.stringify(filters), shown]);
  const me = myActor();

  function narrow(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim() || undefined;
    setFilters({ tenant: text("tenant")?.toLowerCase(), action: text("action"), actor: text("actor") });
    setShown(shown + 1);
  }

  return (
    <section aria-label="Platform audit log">
      <p className="hint">Every tenant's events, operators' own included (<code>tenant.suspend</code>, <code>tenant.resume</code>, <code>tenant.plan</code>), newest first.</p>
      <Problem error={log.error} />
      <form className="inline" aria-label="Narrow the log" onSubmit={narrow}>
        <label>
          Tenant <input name="tenant" defaultValue={tenant} pattern={UUID} size={38} placeholder="tenant id" />
        </label>
        <label>
          Action <input name="action" placeholder="tenant.* or token.create" maxLength={200} />
        </label>
        <label>
          Who <input name="actor" placeholder="user:<id>, token:<id> or system" maxLength={200} />
        </label>
        <button type="submit">Show</button>
      </form>
      <AuditTable
        log={log}
        label="Platform audit events"
        who={(actor) => actorText(actor, me)}
        base={(id) => (id ? <code>{id}</code> : "")}
        resource={(event) =>
          event.action.startsWith("tenant.") && event.resource_id ? (
            <a href={hrefOf({ screen: "admin", tab: "tenants", tenantId: event.resource_id })}>
              <code>{event.resource_id}</code>
            </a>
          ) : undefined
        }
      />
    </section>
  );
}

/** The platform as the answering origin sees it: planes, Redis, queues, streams, tenants. */
function Health() {
  const [checked, setChecked] = useState<Date | null>(null);
  const loaded = useLoaded(async () => {
    const health = await platformHealth();
    setChecked(new Date());
    return health;
  }, []);
  const health = loaded.data;
  return (
    <section aria-label="Health">
      <div className="toolbar">
        <button type="button" onClick={() => void loaded.reload()}>Refresh</button>
        {checked && <span className="hint" role="status">Checked at {checked.toLocaleTimeString("en-GB")}</span>}
      </div>
      <Problem error={loaded.error} />
      {health && (
        <>
          <p data-testid="platform-status">
            Status <span className={`badge ${health.status === "ok" ? "ok" : "degraded"}`}>{health.status}</span>{" "}
            <span className="hint">origin version {health.version}</span>
          </p>
          <table className="list" aria-label="Planes">
            <thead>
              <tr><th>Plane</th><th>State</th><th>Latency</th><th>Connections open</th><th>Idle</th><th>Pool size</th></tr>
            </thead>
            <tbody>
              {health.planes.map((plane) => (
                <tr key={plane.name}>
                  <th scope="row">{plane.name}</th>
                  <td><span className={`badge ${plane.state === "ok" ? "ok" : "degraded"}`}>{plane.state}</span></td>
                  <td>{plane.latency_ms === null ? "—" : `${plane.latency_ms.toFixed(1)} ms`}</td>
                  <td>{count(plane.connections_open)}</td>
                  <td>{count(plane.connections_idle)}</td>
                  <td>{count(plane.connections_max)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="facts">
            <dt>Redis</dt>
            <dd>
              <span className={`badge ${health.redis === "ok" ? "ok" : health.redis === "not_configured" ? "" : "degraded"}`}>
                {health.redis === "not_configured" ? "not configured" : health.redis}
              </span>
            </dd>
            <dt>Jobs</dt>
            <dd>{count(health.jobs_queued)} queued, {count(health.jobs_running)} running</dd>
            <dt>Webhook deliveries</dt>
            <dd>
              {count(health.webhook_deliveries_pending)} pending
              {health.webhook_deliveries_pending > 0 && `, the oldest waiting ${Math.round(health.oldest_delivery_seconds)} s`}
            </dd>
            <dt>Event streams open</dt>
            <dd>{count(health.event_streams)}</dd>
            <dt>Tenants</dt>
            <dd>{count(health.tenants)}, {count(health.suspended_tenants)} suspended</dd>
          </dl>
        </>
      )}
    </section>
  );
}
