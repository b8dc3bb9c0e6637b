// A base's API tokens: create one with its scopes, rate limit and expiry (its secret shown
// once, with a copy button), list them, revoke one.

import type { Schemas } from "@nclcdbaas/sdk";
import { useState, type FormEvent } from "react";
import { Copy } from "./Copy";
import { useChange, useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";

const SCOPES = ["read", "write", "delete"] as const satisfies readonly Schemas["Scope"][];

export function Tokens({ baseId }: { baseId: string }) {
  const tokens = useLoaded(async () => (await client()).call("listTokens", { path: { baseId } }), [baseId]);
  const change = useChange(tokens.reload);
  const [created, setCreated] = useState<Schemas["CreatedToken"] | null>(null);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const requests = Number(data.get("requests") || 0);
    const expires = String(data.get("expires") ?? "");
    const body: Schemas["TokenRequest"] = {
      name: String(data.get("name")),
      scopes: SCOPES.filter((scope) => data.get(scope) === "on"),
      rate_limit: requests > 0 ? { requests, window_seconds: Number(data.get("window") || 60) } : null,
      expires_at: expires ? new Date(expires).toISOString() : null,
    };
    void change.run(async () => {
      setCreated(await (await client()).call("createToken", { path: { baseId }, body }));
      form.reset();
    });
  }

  return (
    <section>
      <h2>API tokens</h2>
      <p className="hint">A token reads and writes this base's records through the API, within its scopes.</p>
      <Problem error={tokens.error ?? change.error} />
      {created && (
        <div className="secret" role="status">
          <p>
            Token <strong>{created.name}</strong> is ready. Copy it now: it is not shown again.
          </p>
          <code data-testid="new-token">{created.token}</code> <Copy text={created.token} />{" "}
          <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <form className="inline" aria-label="New token" onSubmit={create}>
        <label>
          Name <input name="name" required maxLength={100} placeholder="frontend" />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((scope) => (
            <label key={scope}>
              <input type="checkbox" name={scope} defaultChecked={scope === "read"} /> {scope}
            </label>
          ))}
        </fieldset>
        <label>
          Requests <input name="requests" type="number" min={1} placeholder="plan's" />
        </label>
        <label>
          per <input name="window" type="number" min={1} defaultValue={60} /> s
        </label>
        <label>
          Expires <input name="expires" type="datetime-local" />
        </label>
        <button type="submit" disabled={change.busy}>Create token</button>
      </form>
      <table className="list">
        <thead>
          <tr><th>Name</th><th>Scopes</th><th>Created</th><th>Expires</th><th>State</th><th><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {tokens.data?.data.map((token) => (
            <tr key={token.id}>
              <th scope="row">{token.name}</th>
              <td>{token.scopes.join(", ")}</td>
              <td>{token.created_at}</td>
              <td>{token.expires_at ?? "never"}</td>
              <td>{token.revoked_at ? `revoked ${token.revoked_at}` : "active"}</td>
              <td>
                {!token.revoked_at && (
                  <button
                    type="button"
                    aria-label={`Revoke ${token.name}`}
                    onClick={() =>
                      void change.run(async () =>
                        (await client()).call("revokeToken", { path: { baseId, tokenId: token.id } }),
                      )
                    }
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
