import { expect, it } from "vitest";
import { can, grantable, hrefOf, placeAt, placeOf, type Place } from "../src/places";

it("reads and writes the console's places", () => {
  expect(placeOf("")).toEqual({ screen: "home" });
  expect(placeOf("#/")).toEqual({ screen: "home" });
  expect(placeOf("#/bases/b1")).toEqual({ screen: "base", baseId: "b1", section: "tables" });
  expect(placeOf("#/bases/b1/tables/order%20lines")).toEqual({
    screen: "base", baseId: "b1", section: "tables", item: "order lines", tab: "records",
  });
  expect(placeOf("#/bases/b1/tables/orders/fields")).toMatchObject({ item: "orders", tab: "fields" });
  expect(placeOf("#/bases/b1/tables/orders/nonsense")).toMatchObject({ tab: "records" });
  expect(placeOf("#/bases/b1/tokens/extra")).toEqual({ screen: "base", baseId: "b1", section: "tokens" });
  expect(placeOf("#/bases/b1/elsewhere")).toEqual({ screen: "base", baseId: "b1", section: "tables" });
  expect(placeOf("#/workspaces/w1/members")).toEqual({ screen: "members", workspaceId: "w1" });
  const places: Place[] = [
    { screen: "home" },
    { screen: "members", workspaceId: "w" },
    { screen: "base", baseId: "b", section: "tables", item: "a/b", tab: "records" },
    { screen: "base", baseId: "b", section: "tables", item: "t", tab: "fields" },
    { screen: "base", baseId: "b", section: "views", item: "open orders" },
    { screen: "base", baseId: "b", section: "usage" },
    { screen: "base", baseId: "b", section: "tables", item: "orders", tab: "records", filter: [{ field: "customer", op: "eq", value: "c-1" }] },
  ];
  for (const place of places) expect(placeOf(hrefOf(place))).toEqual(place);
});

it("opens a table's records filtered, as the records API writes a filter", () => {
  expect(placeOf("#/bases/b1/tables/orders?filter[customer][eq]=c-1&filter[total][gt]=5&other=x")).toEqual({
    screen: "base", baseId: "b1", section: "tables", item: "orders", tab: "records",
    filter: [{ field: "customer", op: "eq", value: "c-1" }, { field: "total", op: "gt", value: "5" }],
  });
  const filter = [{ field: "customer", op: "eq", value: "a&b=c" }];
  expect(hrefOf({ screen: "base", baseId: "b", section: "tables", item: "orders", tab: "records", filter }))
    .toBe("#/bases/b/tables/orders?filter[customer][eq]=a%26b%3Dc");
  expect(placeOf(hrefOf({ screen: "base", baseId: "b", section: "tables", item: "orders", filter }))).toMatchObject({ filter });
  // Only the records tab is filtered.
  expect(hrefOf({ screen: "base", baseId: "b", section: "tables", item: "orders", tab: "fields", filter })).toBe("#/bases/b/tables/orders/fields");
  expect(placeOf("#/bases/b1/tables/orders/fields?filter[customer][eq]=c-1")).not.toHaveProperty("filter");
});

it("reads the operators' section, from its hash or the console's /admin URL", () => {
  expect(placeOf("#/admin")).toEqual({ screen: "admin", tab: "tenants" });
  expect(placeOf("#/admin/tenants?q=ann%2Bshop%40example.org")).toEqual({ screen: "admin", tab: "tenants", q: "ann+shop@example.org" });
  expect(placeOf("#/admin/tenants/t1")).toEqual({ screen: "admin", tab: "tenants", tenantId: "t1" });
  expect(placeOf("#/admin/audit?tenant=t1")).toEqual({ screen: "admin", tab: "audit", tenant: "t1" });
  expect(placeOf("#/admin/health/extra")).toEqual({ screen: "admin", tab: "health" });
  expect(placeOf("#/admin/nonsense")).toEqual({ screen: "admin", tab: "tenants" });
  const places: Place[] = [
    { screen: "admin", tab: "tenants" },
    { screen: "admin", tab: "tenants", q: "a&b c" },
    { screen: "admin", tab: "tenants", tenantId: "t" },
    { screen: "admin", tab: "audit" },
    { screen: "admin", tab: "audit", tenant: "t" },
    { screen: "admin", tab: "health" },
  ];
  for (const place of places) expect(placeOf(hrefOf(place))).toEqual(place);
  expect(hrefOf({ screen: "admin", tab: "tenants" })).toBe("#/admin");
  expect(placeAt({ pathname: "/app/admin", hash: "" })).toEqual({ screen: "admin", tab: "tenants" });
  expect(placeAt({ pathname: "/app/admin/", hash: "" })).toEqual({ screen: "admin", tab: "tenants" });
  expect(placeAt({ pathname: "/app/admin/", hash: "#/" })).toEqual({ screen: "home" });
  expect(placeAt({ pathname: "/app/", hash: "" })).toEqual({ screen: "home" });
  expect(placeAt({ pathname: "/app/", hash: "#/admin/health" })).toEqual({ screen: "admin", tab: "health" });
});

it("shows each role the controls the API lets it use", () => {
  expect(can("viewer", "readData")).toBe(true);
  expect(can("viewer", "writeData")).toBe(false);
  expect(can("editor", "editViews")).toBe(true);
  expect(can("editor", "alterSchema")).toBe(false);
  expect(can("admin", "shareApi")).toBe(true);
  expect(can("admin", "manageBilling")).toBe(false);
  expect(can("owner", "manageBilling")).toBe(true);
  expect(can("nobody", "readData")).toBe(false);
  expect(grantable("admin")).toEqual(["viewer", "editor"]);
  expect(grantable("owner")).toEqual(["viewer", "editor", "admin", "owner"]);
  expect(grantable("editor")).toEqual([]);
});
