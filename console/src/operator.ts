// The platform operators' API (`/api/v1/operator/...`), typed with the SDK's schemas.

import type { Schemas } from "@nclcdbaas/sdk";
import { client } from "./session";

export type Tenant = Schemas["TenantSummary"];
export type Plan = Schemas["Plan"];

/** The platform audit log's filters, as the API takes them. */
export interface AuditFilters {
  tenant?: string;
  actor?: string;
  action?: string;
  resource?: string;
  base?: string;
  since?: string;
  until?: string;
}

/** Tenants whose name, tenant, workspace or base id, or a member's email matches `q`. */
export async function listTenants(q: string, limit = 100): Promise<Schemas["TenantList"]> {
  const query = q.trim() ? { q: q.trim(), limit } : { limit };
  return (await client()).call("listTenants", { query });
}

export async function getTenant(tenantId: string): Promise<Schemas["TenantDetail"]> {
  return (await client()).call("getTenant", { path: { tenantId } });
}

export async function listPlans(): Promise<Plan[]> {
  return (await (await client()).call("listPlans")).data;
}

export async function setPlan(tenantId: string, plan: string): Promise<Tenant> {
  return (await client()).call("setTenantPlan", { path: { tenantId }, body: { plan } });
}

export async function suspend(tenantId: string, reason: string): Promise<Tenant> {
  return (await client()).call("suspendTenant", { path: { tenantId }, body: { reason } });
}

export async function resume(tenantId: string): Promise<Tenant> {
  return (await client()).call("resumeTenant", { path: { tenantId } });
}

/** A page of every tenant's audit log, newest first; `cursor` for the older ones. */
export async function platformAudit(filters: AuditFilters, cursor?: string): Promise<Schemas["AuditPage"]> {
  const query: AuditFilters & { limit: number; cursor?: string } = { limit: 50 };
  for (const [key, value] of Object.entries(filters) as [keyof AuditFilters, string | undefined][]) {
    if (value) query[key] = value;
  }
  if (cursor) query.cursor = cursor;
  return (await client()).call("listPlatformAudit", { query });
}

export async function platformHealth(): Promise<Schemas["PlatformHealth"]> {
  return (await client()).call("getPlatformHealth");
}
