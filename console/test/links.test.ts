import { describe, expect, it } from "vitest";
import { ApiError, createClient, recordsQuery, type ApiRecord, type Schemas } from "@nclcdbaas/sdk";
import {
  chunked, displayOf, includesOf, linkedOf, pickerQuery, reverseOf, targetOf, titleFieldOf, titleOf,
} from "../src/links";

type Field = Schemas["FieldInfo"];
const field = (id: string, name: string, type: Field["type"], link: Field["link"] = null): Field => ({
  id, name, type, link, options: null, required: false, unique: false, default: null, former_names: [], rules: {},
});
const table = (id: string, name: string, fields: Field[]): Schemas["Table"] => ({
  id, name, fields, former_names: [], primary_key: "id", system_fields: ["id", "created_at", "updated_at"], uniques: [],
  linked_from: [],
  rules: [],
  unique_together: [],
  policies: [], indexes: [],
});
const linkTo = (tableId: string, name: string, display: string | null = null): Field["link"] =>
  ({ table_id: tableId, table: name, on_delete: "restrict", display_field_id: display });

const customers = table("c", "customers", [field("c1", "vip", "boolean"), field("c2", "name", "text"), field("c3", "email", "email")]);
const orders = table("o", "orders", [
  field("o1", "total", "number"), field("o2", "customer", "link", linkTo("c", "customers")),
  field("o3", "billed_to", "link", linkTo("c", "customers", "c3")),
]);
const tables = [customers, orders];
const record = (id: string, values: Record<string, unknown>, included: ApiRecord["included"] = null): ApiRecord =>
  ({ id, values: values as ApiRecord["values"], included, created_at: "", updated_at: "" });

describe("links", () => {
  it("finds a link's target and the field that names its records", () => {
    expect(targetOf(tables, orders.fields[1])?.name).toBe("customers");
    expect(targetOf(tables, orders.fields[0])).toBeUndefined();
    expect(displayOf(tables, orders.fields[1])?.name).toBe("name"); // the first text field
    expect(displayOf(tables, orders.fields[2])?.name).toBe("email"); // the chosen one
    expect(titleFieldOf(tables, customers)?.name).toBe("email"); // a link's display field names them
    expect(titleFieldOf(tables, orders)).toBeUndefined(); // no text field: records go by id
  });

  it("names a record by its display value, else by its id", () => {
    expect(titleOf(record("r1", { name: "Ada" }), "name")).toBe("Ada");
    expect(titleOf(record("r1", { name: null }), "name")).toBe("r1");
    expect(titleOf(record("r1", { name: "" }), "name")).toBe("r1");
    expect(titleOf(record("r1", { total: 3 }), "total")).toBe("3");
    expect(titleOf(record("r1", { name: "Ada" }), undefined)).toBe("r1");
  });

  it("includes the visible link fields, at most four", () => {
    expect(includesOf(orders.fields, ["billed_to", "total", "customer", "id"])).toEqual(["billed_to", "customer"]);
    const many = Array.from({ length: 6 }, (_, at) => field(`l${at}`, `l${at}`, "link", linkTo("c", "customers")));
    expect(includesOf(many, many.map((one) => one.name))).toEqual(["l0", "l1", "l2", "l3"]);
    expect(chunked(["a", "b", "c", "d", "e"])).toEqual([["a", "b", "c", "d"], ["e"]]);
    expect(chunked([])).toEqual([]);
  });

  it("reads what a record includes", () => {
    const ada = record("c-1", { name: "Ada" });
    const order = record("o-1", {}, { customer: ada, billed_to: null, "orders.customer": { data: [ada], has_more: true } });
    expect(linkedOf(order, "customer")).toEqual(ada);
    expect(linkedOf(order, "billed_to")).toBeNull();
    expect(linkedOf(order, "other")).toBeUndefined();
    expect(linkedOf(record("o-2", {}), "customer")).toBeUndefined();
    expect(reverseOf(order, "orders.customer")).toEqual({ data: [ada], has_more: true });
    expect(reverseOf(order, "invoices.customer")).toEqual({ data: [], has_more: false });
  });

  it("searches a link's target by its display field when it is text", () => {
    expect(pickerQuery({ name: "name", type: "text" }, " Ad ")).toEqual(
      { limit: 20, filter: { name: { contains: "Ad" } }, sort: "name" });
    expect(pickerQuery({ name: "name", type: "text" }, "")).toEqual({ limit: 20, sort: "name" });
    expect(pickerQuery({ name: "age", type: "number" }, "4")).toEqual({ limit: 20 });
    expect(pickerQuery(undefined, "x")).toEqual({ limit: 20 });
  });

  it("writes include comma-separated beside the other parameters", () => {
    const query = new URLSearchParams(recordsQuery({ filter: { "customer.name": { starts_with: "Ad" } }, include: ["customer", "orders.customer"], limit: 5 }));
    expect([...query]).toEqual([["filter[customer.name][starts_with]", "Ad"], ["include", "customer,orders.customer"], ["limit", "5"]]);
    expect(recordsQuery({ include: [] })).toBe("");
  });

  it("reads with include through the SDK, errors as ApiError", async () => {
    const urls: string[] = [];
    const answers = [
      new Response(JSON.stringify({ data: [], next_cursor: null, has_more: false }), { headers: { "content-type": "application/json" } }),
      new Response(JSON.stringify(record("r", {})), { headers: { "content-type": "application/json", etag: '"v1"' } }),
      new Response(JSON.stringify({ error: { code: "RECORD_LINKED", message: "linked", details: { table: "orders", field: "customer" } }, request_id: "q" }),
        { status: 409, headers: { "content-type": "application/json" } }),
    ];
    const api = createClient({
      baseUrl: "https://api.test", token: "t", baseId: "b", retries: 0,
      fetch: async (request) => {
        urls.push(decodeURIComponent(new URL((request as Request).url).pathname + new URL((request as Request).url).search));
        return answers.shift()!;
      },
    });
    await api.records.list({ table: "orders", limit: 2, filter: { customer: { eq: "c-1" } }, include: ["customer"] });
    expect((await api.records.get({ table: "customers", id: "c-1", include: ["orders.customer"] })).etag).toBe('"v1"');
    expect(urls).toEqual([
      "/v1/tables/orders/records?filter[customer][eq]=c-1&include=customer&limit=2",
      "/v1/tables/customers/records/c-1?include=orders.customer",
    ]);
    const refused = await api.records.get({ table: "customers", id: "c-1" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 409, code: "RECORD_LINKED", requestId: "q", details: { field: "customer" } });
  });
});
