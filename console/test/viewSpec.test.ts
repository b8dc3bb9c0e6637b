import { expect, it } from "vitest";
import type { Schemas } from "@nclcdbaas/sdk";
import { exposed, joinable, previewQuery, returned, toggled, typeOf, viewCall } from "../src/viewSpec";

const table = {
  id: "t", name: "orders", former_names: [], primary_key: "id", system_fields: ["id", "created_at", "updated_at"], uniques: [], linked_from: [], rules: [], unique_together: [], policies: [], indexes: [],
  fields: [
    { id: "a", name: "customer", type: "text", required: false, unique: false, options: null, default: null, former_names: [], link: null, rules: {} },
    { id: "b", name: "total", type: "number", required: false, unique: false, options: null, default: null, former_names: [], link: null, rules: {} },
  ],
} satisfies Schemas["Table"];

const spec: Schemas["ViewSpec"] = {
  name: "Open", table: "orders", fields: ["total"], sort: ["total:desc"], default_limit: 5,
  filters: [
    { field: "total", op: "gt", value: "10" },
    { field: "customer", op: "eq", value: { param: "who" } },
  ],
  params: [{ name: "who", type: "text", when_absent: "error" }],
};

it("names the columns a view returns and exposes", () => {
  expect(returned(spec, table)).toEqual(["total"]);
  expect(returned({ ...spec, fields: [] }, table)).toEqual(["customer", "total"]);
  expect(exposed(spec, table)).toEqual(["total", "id", "created_at", "updated_at"]);
  expect(typeOf(table, "created_at")).toBe("datetime");
  expect(typeOf(table, "total")).toBe("number");
});

it("previews a view as the records query that lists the same rows", () => {
  expect(previewQuery(spec, { who: "acme" })).toEqual({
    where: { and: [{ field: "total", op: "gt", value: "10" }, { field: "customer", op: "eq", value: "acme" }] },
    sort: ["total.desc"], fields: ["total"], limit: 5,
  });
  // A required parameter without a value: nothing to preview yet.
  expect(previewQuery(spec, {})).toBeNull();
  const optional = (when_absent: Schemas["WhenAbsent"]) => ({ ...spec, params: [{ name: "who", type: "text" as const, when_absent }] });
  expect(previewQuery(optional("no_filter"), {})).toMatchObject({ where: { field: "total", op: "gt", value: "10" } });
  expect(previewQuery(optional("no_rows"), {})).toEqual({ empty: true });
});

it("writes a published view's call with its parameters and the secret its auth needs", () => {
  const view = { auth: "view_key", url: "/public/views/open/data" } as Schemas["View"];
  expect(viewCall("https://x.example", view, spec, { who: "O'Brien & co" }, "")).toEqual({
    url: "https://x.example/public/views/open/data?limit=5&who=O%27Brien+%26+co",
    headers: [["Authorization", "Bearer <VIEW_KEY>"]],
  });
  expect(viewCall("https://x.example", { ...view, auth: "public" }, spec, {}, "s").headers).toEqual([]);
  expect(viewCall("https://x.example", view, spec, {}, "nv_1").headers).toEqual([["Authorization", "Bearer nv_1"]]);
});

it("offers the fields of linked records, and keeps joined fields after the table's own", () => {
  const customers = { ...table, id: "c", name: "customers", fields: [{ ...table.fields[0], id: "n", name: "name" }] };
  const orders = {
    ...table,
    fields: [
      { ...table.fields[0], type: "link" as const, link: { table: "customers", table_id: "c", on_delete: "restrict" as const, display_field_id: null } },
      table.fields[1],
    ],
  };
  expect(joinable(orders, [orders, customers])).toEqual(["customer.name"]);
  const joined = toggled({ ...spec, fields: [] }, orders, "customer.name", true);
  expect(joined).toEqual(["customer", "total", "customer.name"]);
  expect(toggled({ ...spec, fields: joined }, orders, "customer", false)).toEqual(["total", "customer.name"]);
  expect(exposed({ ...spec, fields: joined }, orders)).not.toContain("customer.name");
});
