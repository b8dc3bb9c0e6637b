// Calls of a published view, written out for pasting: cURL, fetch (TypeScript), Axios and a
// Postman collection. Pure, so each snippet's quoting is tested without a browser.

/** A GET of a view's data: its full URL and the headers it needs. */
export interface Call {
  url: string;
  headers: Array<[string, string]>;
}

/** `text` as one single-quoted shell word. */
const shellWord = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** `text` as a JavaScript string literal (JSON's escaping is JavaScript's). */
const literal = (text: string): string => JSON.stringify(text);

export function curl(call: Call): string {
  const headers = call.headers.map(([name, value]) => ` \\\n  -H ${shellWord(`${name}: ${value}`)}`).join("");
  return `curl -sS ${shellWord(call.url)}${headers}`;
}

const headerObject = (call: Call, indent: string): string =>
  call.headers.length === 0
    ? "{}"
    : `{\n${call.headers.map(([name, value]) => `${indent}  ${literal(name)}: ${literal(value)},`).join("\n")}\n${indent}}`;

export function fetchSnippet(call: Call): string {
  return [
    `const response = await fetch(${literal(call.url)}, {`,
    `  headers: ${headerObject(call, "  ")},`,
    "});",
    "if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);",
    "const page: { data: Array<{ id: string; values: Record<string, unknown> }>; page: { next_cursor: string | null } } =",
    "  await response.json();",
  ].join("\n");
}

export function axiosSnippet(call: Call): string {
  return [
    'import axios from "axios";',
    "",
    `const { data: page } = await axios.get(${literal(call.url)}, {`,
    `  headers: ${headerObject(call, "  ")},`,
    "});",
  ].join("\n");
}

/** A Postman collection (v2.1) with the one request, ready to import. */
export function postmanCollection(name: string, call: Call): string {
  const url = new URL(call.url);
  return JSON.stringify(
    {
      info: { name, schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
      item: [
        {
          name,
          request: {
            method: "GET",
            header: call.headers.map(([key, value]) => ({ key, value })),
            url: {
              raw: call.url,
              protocol: url.protocol.replace(/:$/, ""),
              host: url.hostname.split("."),
              port: url.port || undefined,
              path: url.pathname.split("/").filter(Boolean),
              query: [...url.searchParams].map(([key, value]) => ({ key, value })),
            },
          },
        },
      ],
    },
    null,
    2,
  );
}
