// The console's places, as URL hashes (the edge serves one page; the hash picks the screen),
// and what each role may do there.

import type { Condition } from "./gridQuery";

/** The screens of a base. */
export const SECTIONS = ["tables", "views", "tokens", "webhooks", "usage", "schema-ops", "backup"] as const;
export type Section = (typeof SECTIONS)[number];

/** The tabs of a table. */
export const TABLE_TABS = ["records", "fields", "history", "rules", "import"] as const;
export type TableTab = (typeof TABLE_TABS)[number];

/** The tabs of the operators' section. */
export const ADMIN_TABS = ["tenants", "audit", "health"] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/**
 * Where the console is: `#/`, `#/workspaces/<id>/members`, the operators' section
 * (`#/admin`, `#/admin/tenants?q=<search>`, `#/admin/tenants/<id>`, `#/admin/audit?tenant=<id>`,
 * `#/admin/health`), `#/bases/<id>[/<section>[/<item>[/<tab>]]]`,
 * e.g. `#/bases/<id>/tables/orders/fields` (or `/rules`: its rules and policies) or `#/bases/<id>/views/open-orders`; a table's records
 * may open filtered, as the records API writes it: `#/bases/<id>/tables/orders?filter[customer][eq]=<id>`.
 */
export type Place =
  | { screen: "home" }
  | { screen: "members"; workspaceId: string }
  | { screen: "audit"; workspaceId: string }
  | { screen: "admin"; tab: "tenants"; q?: string; tenantId?: string }
  | { screen: "admin"; tab: "audit"; tenant?: string }
  | { screen: "admin"; tab: "health" }
  | { screen: "base"; baseId: string; section: Section; item?: string; tab?: TableTab; filter?: Condition[] };

const isSection = (text: string | undefined): text is Section => SECTIONS.includes(text as Section);
const isTab = (text: string | undefined): text is TableTab => TABLE_TABS.includes(text as TableTab);

const FILTER = /^filter\[([^\]]+)\]\[([a-z_]+)\]$/;

/**
 * Where a location is: its hash, or the operators' section for the console's `/admin` URL
 * (`/app/admin`, which the files host sends to `/app/admin/`) without one.
 */
export const placeAt = (location: { hash: string; pathname: string }): Place =>
  placeOf(location.hash || (/\/admin\/?$/.test(location.pathname) ? "#/admin" : ""));

export function placeOf(hash: string): Place {
  const [path, search = ""] = hash.replace(/^#/, "").split("?");
  const [, first, id, section, item, tab] = path.split("/");
  if (first === "admin") return adminPlace(id, section, new URLSearchParams(search));
  if (first === "workspaces" && id && section === "members") return { screen: "members", workspaceId: id };
  if (first === "workspaces" && id && section === "audit") return { screen: "audit", workspaceId: id };
  if (first !== "bases" || !id) return { screen: "home" };
  if (!isSection(section)) return { screen: "base", baseId: id, section: "tables" };
  const place: Place = { screen: "base", baseId: id, section };
  if (item && (section === "tables" || section === "views")) place.item = decodeURIComponent(item);
  if (place.item && section === "tables") place.tab = isTab(tab) ? tab : "records";
  if (place.tab === "records") {
    const filter = [...new URLSearchParams(search)].flatMap(([key, value]) => {
      const [, field, op] = FILTER.exec(key) ?? [];
      return field ? [{ field, op, value }] : [];
    });
    if (filter.length) place.filter = filter;
  }
  return place;
}

function adminPlace(tab: string | undefined, tenantId: string | undefined, search: URLSearchParams): Place {
  if (tab === "audit") {
    const tenant = search.get("tenant");
    return tenant ? { screen: "admin", tab, tenant } : { screen: "admin", tab };
  }
  if (tab === "health") return { screen: "admin", tab };
  if (tab === "tenants" && tenantId) return { screen: "admin", tab, tenantId: decodeURIComponent(tenantId) };
  const q = tab === "tenants" ? search.get("q") : null;
  return q ? { screen: "admin", tab: "tenants", q } : { screen: "admin", tab: "tenants" };
}

export function hrefOf(place: Place): string {
  switch (place.screen) {
    case "home":
      return "#/";
    case "admin":
      if (place.tab === "audit") return `#/admin/audit${place.tenant ? `?tenant=${encodeURIComponent(place.tenant)}` : ""}`;
      if (place.tab === "health") return "#/admin/health";
      if (place.tenantId) return `#/admin/tenants/${encodeURIComponent(place.tenantId)}`;
      return place.q ? `#/admin/tenants?q=${encodeURIComponent(place.q)}` : "#/admin";
    case "members":
      return `#/workspaces/${place.workspaceId}/members`;
    case "audit":
      return `#/workspaces/${place.workspaceId}/audit`;
    case "base": {
      const item = place.item === undefined ? "" : `/${encodeURIComponent(place.item)}`;
      const tab = place.item !== undefined && place.tab && place.tab !== "records" ? `/${place.tab}` : "";
      const filter = place.section === "tables" && place.item !== undefined && (place.tab ?? "records") === "records" && place.filter?.length
        ? `?${place.filter.map(({ field, op, value }) => `filter[${encodeURIComponent(field)}][${op}]=${encodeURIComponent(value)}`).join("&")}`
        : "";
      return `#/bases/${place.baseId}/${place.section}${item}${tab}${filter}`;
    }
  }
}

/** A workspace role, weakest first. */
export type Role = "viewer" | "editor" | "admin" | "owner";
const ROLES: readonly Role[] = ["viewer", "editor", "admin", "owner"];

/**
 * What a member may do, and the weakest role that may: the rules the API enforces
 * (`shared::manage::Action`); the console shows only the controls a role can use.
 */
const WEAKEST = {
  readData: "viewer",
  writeData: "editor",
  editViews: "editor",
  alterSchema: "admin",
  shareApi: "admin",
  manageMembers: "admin",
  manageAdmins: "owner",
  manageBilling: "owner",
} as const satisfies Record<string, Role>;
export type Action = keyof typeof WEAKEST;

export const can = (role: string, action: Action): boolean =>
  ROLES.indexOf(role as Role) >= ROLES.indexOf(WEAKEST[action]);

/** The roles a member of `role` may give others (admins invite editors and viewers). */
export const grantable = (role: string): Role[] =>
  can(role, "manageAdmins") ? [...ROLES] : can(role, "manageMembers") ? ["viewer", "editor"] : [];
