import { describe, expect, it } from "vitest";
import { defaultMapping, headerOf } from "../src/Import";

describe("import", () => {
  it("reads a header row as the API does: a byte-order mark, quotes, delimiters", () => {
    expect(headerOf("\ufeffemail,\"full, name\",\"say \"\"hi\"\"\"\r\nx,y,z")).toEqual(["email", "full, name", 'say "hi"']);
    expect(headerOf("a;b\n1;2", ";")).toEqual(["a", "b"]);
    expect(headerOf("")).toEqual([""]);
  });

  it("maps the columns named after writable fields, and id", () => {
    const table = {
      fields: [
        { name: "email", computed: null },
        { name: "total", computed: { kind: "formula" } },
      ],
    } as unknown as Parameters<typeof defaultMapping>[1];
    expect(defaultMapping(["id", "email", "total", "extra"], table)).toEqual({ id: "id", email: "email", total: "", extra: "" });
  });
});
