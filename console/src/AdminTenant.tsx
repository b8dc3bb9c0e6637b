// One tenant as the platform's operators see it: its state, its plan and the plan's limits,
// its workspaces with their members, and its bases with this month's requests against their
// quota; moving it to another plan, suspending it (with the reason, which its audit log
// keeps) and resuming it, each confirmed first.

import type { Schemas } from "@nclcdbaas/sdk";
import { Fragment, useState } from "react";
import { ConfirmDialog } from "./Dialog";
import { sizeText } from "./files";
import { useLoaded } from "./hooks";
import { getTenant, listPlans, resume, setPlan, suspend, type Plan, type Tenant } from "./operator";
import { hrefOf } from "./places";
import { Problem } from "./Problem";
import { quotaState } from "./usage";

type Asking = { kind: "plan"; plan: Plan } | { kind: "suspend" } | { kind: "resume" } | null;

const count = (value: number) => value.toLocaleString("en");
const limit = (value: number | null, unit = "") => (value === null ? "unlimited" : `${count(value)}${unit}`);

/** Active or suspended, as a badge. */
export function TenantState({ tenant }: { tenant: Tenant }) {
  return tenant.suspended_at ? (
    <span className="badge suspended">Suspended</span>
  ) : (
    <span className="badge active">Active</span>
  );
}

export function AdminTenant({ tenantId }: { tenantId: string }) {
  const loaded = useLoaded(async () => {
    const [detail, plans] = await Promise.all([getTenant(tenantId), listPlans()]);
    return { ...detail, plans };
  }, [tenantId]);
  const [asking, setAsking] = useState<Asking>(null);
  const [done, setDone] = useState<string | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const data = loaded.data;
  if (!data) {
    return (
      <section>
        <Back />
        <Problem error={loaded.error} />
        {!loaded.error && <p>Loading…</p>}
      </section>
    );
  }
  const { tenant, plan, workspaces, plans } = data;
  const chosen = plans.find((candidate) => candidate.name === (picked ?? plan.name)) ?? plan;

  /** Runs an action with the dialog's fields, then reads the tenant again and says what happened. */
  const act = (said: string, action: (form: FormData) => Promise<unknown>) => async (form: FormData) => {
    await action(form);
    setDone(said);
    setPicked(null);
    await loaded.reload();
  };

  return (
    <section aria-label={`Tenant ${tenant.name}`}>
      <Back />
      <h2>
        {tenant.name} <TenantState tenant={tenant} />
      </h2>
      <Problem error={loaded.error} />
      {done && <p role="status" className="done">{done}</p>}
      {tenant.suspended_at && (
        <p className="suspended-notice">
          Suspended since {tenant.suspended_at}: <q>{tenant.suspended_reason}</q>. Its tokens, members' requests and
          published views are refused with <code>TENANT_SUSPENDED</code>.
        </p>
      )}
      <dl className="facts">
        <dt>Tenant id</dt>
        <dd><code data-testid="tenant-id">{tenant.id}</code></dd>
        <dt>Created</dt>
        <dd>{tenant.created_at}</dd>
        <dt>Workspaces, bases, members</dt>
        <dd>{count(tenant.workspaces)}, {count(tenant.bases)}, {count(tenant.members)}</dd>
        <dt>Requests this month</dt>
        <dd>{count(tenant.requests_this_month)}</dd>
      </dl>
      <div className="actions">
        {tenant.suspended_at ? (
          <button type="button" className="primary" onClick={() => setAsking({ kind: "resume" })}>Resume</button>
        ) : (
          <button type="button" className="danger" onClick={() => setAsking({ kind: "suspend" })}>Suspend…</button>
        )}
        <a href={hrefOf({ screen: "admin", tab: "audit", tenant: tenant.id })}>Audit log of this tenant</a>
      </div>

      <h3>Plan: {plan.name}</h3>
      <PlanLimits plan={plan} />
      <form
        className="inline"
        aria-label="Change plan"
        onSubmit={(event) => {
          event.preventDefault();
          setAsking({ kind: "plan", plan: chosen });
        }}
      >
        <label>
          Plan{" "}
          <select name="plan" value={chosen.name} onChange={(event) => setPicked(event.target.value)}>
            {plans.map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {candidate.name} ({count(candidate.tenants)} {candidate.tenants === 1 ? "tenant" : "tenants"})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={chosen.name === plan.name}>Change plan…</button>
        {plans.length < 2 && <span className="hint">No other plan to move it to.</span>}
      </form>

      <h3>Workspaces</h3>
      {!workspaces.length && <p>No workspaces.</p>}
      {workspaces.map((workspace) => <TenantWorkspace key={workspace.id} workspace={workspace} />)}

      {asking?.kind === "plan" && (
        <ConfirmDialog
          title={`Move ${tenant.name} to ${asking.plan.name}?`}
          confirm={`Move to ${asking.plan.name}`}
          onConfirm={act(`Moved ${tenant.name} to ${asking.plan.name}.`, () => setPlan(tenant.id, asking.plan.name))}
          onClose={() => setAsking(null)}
        >
          <p>
            Its bases take the new plan's rate limit and monthly requests at once (a base with a quota of its own
            keeps it); what it already has beyond the new limits stays.
          </p>
          <table className="list compare" aria-label="Limits before and after">
            <thead>
              <tr><th>Limit</th><th>{plan.name} (now)</th><th>{asking.plan.name}</th></tr>
            </thead>
            <tbody>
              {limitRows(plan).map(([name, now], index) => (
                <tr key={name}><th scope="row">{name}</th><td>{now}</td><td>{limitRows(asking.plan)[index][1]}</td></tr>
              ))}
            </tbody>
          </table>
        </ConfirmDialog>
      )}
      {asking?.kind === "suspend" && (
        <ConfirmDialog
          title={`Suspend ${tenant.name}`}
          confirm="Suspend"
          danger
          onConfirm={act(`Suspended ${tenant.name}.`, (form) => suspend(tenant.id, String(form.get("reason") ?? "").trim()))}
          onClose={() => setAsking(null)}
        >
          <SuspendFields />
        </ConfirmDialog>
      )}
      {asking?.kind === "resume" && (
        <ConfirmDialog
          title={`Resume ${tenant.name}?`}
          confirm="Resume"
          onConfirm={act(`Resumed ${tenant.name}.`, () => resume(tenant.id))}
          onClose={() => setAsking(null)}
        >
          <p>Its tokens, members and published views work again at once.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function Back() {
  return <a className="small" href={hrefOf({ screen: "admin", tab: "tenants" })}>← All tenants</a>;
}

function SuspendFields() {
  return (
    <>
      <p>
        Every API token, member's request and published view of this tenant is refused at once with{" "}
        <code>TENANT_SUSPENDED</code>, until an operator resumes it. Nothing is deleted.
      </p>
      <label className="stacked">
        Reason <span className="hint">(kept with the tenant and in its audit log)</span>
        <textarea name="reason" required minLength={1} maxLength={500} rows={3} />
      </label>
    </>
  );
}

/** A plan's limits as rows of a table: name and value. */
function limitRows(plan: Plan): Array<[string, string]> {
  return [
    ["Rate limit", `${count(plan.rate_limit.requests)} requests per ${count(plan.rate_limit.window_seconds)} s`],
    ["Requests per base per month", limit(plan.monthly_requests)],
    ["Bases per workspace", count(plan.max_bases_per_workspace)],
    ["Tables per base", count(plan.max_tables_per_base)],
    ["Fields per table", count(plan.max_fields_per_table)],
    ["Views per base", count(plan.max_views_per_base)],
    ["Largest upload", sizeText(plan.max_upload_bytes)],
    ["Files stored per base", plan.max_stored_bytes === null ? "unlimited" : sizeText(plan.max_stored_bytes)],
    ["Audit log kept", `${count(plan.audit_retention_days)} days`],
    ["Change log kept", `${count(plan.change_log_retention_days)} days`],
  ];
}

function PlanLimits({ plan }: { plan: Plan }) {
  return (
    <dl className="facts">
      {limitRows(plan).map(([name, value]) => (
        <Fragment key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function TenantWorkspace({ workspace }: { workspace: Schemas["TenantWorkspace"] }) {
  return (
    <section className="workspace" aria-label={`Workspace ${workspace.name}`}>
      <h4>
        {workspace.name} <span className="hint">created {workspace.created_at}</span>
      </h4>
      <table className="list" aria-label={`Members of ${workspace.name}`}>
        <thead><tr><th>Member</th><th>Email</th><th>Role</th></tr></thead>
        <tbody>
          {workspace.members.map((member) => (
            <tr key={member.user_id}>
              <th scope="row">{member.name}</th>
              <td>{member.email}</td>
              <td>{member.role}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!workspace.bases.length ? (
        <p>No bases.</p>
      ) : (
        <table className="list" aria-label={`Bases of ${workspace.name}`}>
          <thead><tr><th>Base</th><th>Tables</th><th>Requests this month</th><th>Created</th></tr></thead>
          <tbody>
            {workspace.bases.map((base) => {
              const state = quotaState(base.quota);
              return (
                <tr key={base.id}>
                  <th scope="row">
                    {base.name} <code className="hint">{base.id}</code>
                  </th>
                  <td>{count(base.tables)}</td>
                  <td className={`quota ${state.level}`}>
                    {count(base.quota.used)} of {limit(base.quota.monthly_limit)}
                    {state.share !== null && ` (${Math.round(state.share * 100)}%)`}{" "}
                    <span className="hint">resets {new Date(base.quota.resets_at_ms).toISOString().slice(0, 10)}</span>
                  </td>
                  <td>{base.created_at}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
