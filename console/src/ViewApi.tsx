// The "API & usage" panel of a published view: its endpoint, how to authenticate, its
// parameters, the filters, sorts and pages a caller may ask for, and calls to copy (cURL,
// fetch, Axios, a Postman collection) that work as pasted once the secret is filled in.

import type { Schemas } from "@nclcdbaas/sdk";
import { useState } from "react";
import { Copy } from "./Copy";
import { apiRoot } from "./session";
import { axiosSnippet, curl, fetchSnippet, postmanCollection } from "./snippets";
import { typeOf, viewCall } from "./viewSpec";

const AUTH_TEXT: Record<Schemas["AuthMode"], string> = {
  public: "None: anyone may call it (rate-limited per client address).",
  view_key: "A key of this view: Authorization: Bearer nv_…",
  base_token: "An API token of this base with the read scope: Authorization: Bearer nc_…",
};

export function ViewApi({ base, view, spec, secret, setSecret }: {
  base: Schemas["Base"];
  view: Schemas["View"];
  spec: Schemas["ViewSpec"];
  secret: string;
  setSecret: (secret: string) => void;
}) {
  const table = base.tables.find((candidate) => candidate.name === spec.table);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries((spec.params ?? []).map((param) => [param.name, param.example ?? ""])),
  );
  const call = viewCall(apiRoot(), view, spec, values, secret);
  const snippets: Array<[string, string]> = [
    ["cURL", curl(call)],
    ["fetch (TypeScript)", fetchSnippet(call)],
    ["Axios", axiosSnippet(call)],
    ["Postman collection", postmanCollection(`${view.name} (${view.slug})`, call)],
  ];
  return (
    <section className="view-api" aria-label="API & usage">
      <h3>API &amp; usage</h3>
      <dl>
        <dt>Endpoint</dt>
        <dd><code data-testid="endpoint">GET {apiRoot()}{view.url}</code> <Copy text={`${apiRoot()}${view.url}`} label="Copy URL" /></dd>
        <dt>Authentication</dt>
        <dd>{AUTH_TEXT[view.auth]}</dd>
        <dt>Pagination</dt>
        <dd>
          limit=1…{spec.max_limit ?? 100} (default {spec.default_limit ?? 25}); pass the answer's page.next_cursor as cursor
          for the next page.
        </dd>
        <dt>Sort</dt>
        <dd>
          {spec.sort?.length ? `By default ${spec.sort.join(", ")}. ` : ""}
          {spec.allowed_sorts?.length ? `A caller may sort=field:asc|desc on ${spec.allowed_sorts.join(", ")}.` : "Callers may not sort."}
        </dd>
      </dl>
      <h4>Parameters</h4>
      <table className="list" data-testid="params">
        <thead><tr><th>Name</th><th>Type</th><th>Required</th><th>Left out</th><th>Value in the examples</th></tr></thead>
        <tbody>
          {(spec.params ?? []).map((param) => (
            <tr key={param.name}>
              <th scope="row">{param.name}</th>
              <td>{param.type}</td>
              <td>{(param.when_absent ?? "error") === "error" ? "yes" : "no"}</td>
              <td>{{ error: "422 VALIDATION_ERROR", no_filter: "its filters are dropped", no_rows: "no rows" }[param.when_absent ?? "error"]}</td>
              <td>
                <input
                  aria-label={`Example ${param.name}`}
                  value={values[param.name] ?? ""}
                  onChange={(event) => setValues({ ...values, [param.name]: event.target.value })}
                />
              </td>
            </tr>
          ))}
          {!spec.params?.length && <tr><td colSpan={5}>None.</td></tr>}
        </tbody>
      </table>
      <h4>Filters a caller may add</h4>
      {spec.allowed_filters?.length ? (
        <ul>
          {spec.allowed_filters.map((allowed) => (
            <li key={allowed.field}>
              <code>filter[{allowed.field}][op]=value</code> ({table && typeOf(table, allowed.field)}): {allowed.ops.join(", ")}
            </li>
          ))}
        </ul>
      ) : (
        <p>None.</p>
      )}
      {view.auth !== "public" && (
        <label>
          {view.auth === "view_key" ? "View key" : "API token"} for the examples{" "}
          <input
            aria-label="Secret for the examples"
            value={secret}
            onChange={(event) => setSecret(event.target.value)}
            placeholder={view.auth === "view_key" ? "nv_…" : "nc_…"}
          />
        </label>
      )}
      {snippets.map(([title, text]) => (
        <figure key={title} className="snippet">
          <figcaption>
            {title} <Copy text={text} label={`Copy ${title}`} />
          </figcaption>
          <pre data-testid={`snippet-${title.split(" ")[0].toLowerCase()}`}>{text}</pre>
        </figure>
      ))}
    </section>
  );
}
