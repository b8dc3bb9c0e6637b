// The keys of a view published with `view_key` auth: create one with a name (its secret shown
// once, with a copy button, and handed to the API & usage panel), list them, revoke one.

import type { Schemas } from "@nclcdbaas/sdk";
import { useState, type FormEvent } from "react";
import { Copy } from "./Copy";
import { useChange, useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";

export function ViewKeys({ view, onKey }: { view: Schemas["View"]; onKey: (key: string) => void }) {
  const path = { baseId: view.base_id, view: view.name };
  const keys = useLoaded(async () => (await client()).call("listViewKeys", { path }), [view.base_id, view.name]);
  const change = useChange(keys.reload);
  const [created, setCreated] = useState<Schemas["CreatedViewKey"] | null>(null);

  function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name"));
    void change.run(async () => {
      const key = await (await client()).call("createViewKey", { path, body: { name } });
      setCreated(key);
      onKey(key.key);
      form.reset();
    });
  }

  return (
    <section aria-label="View keys">
      <h4>View keys</h4>
      <Problem error={keys.error ?? change.error} />
      {created && (
        <div className="secret" role="status">
          <p>
            Key <strong>{created.name}</strong> is ready. Copy it now: it is not shown again.
          </p>
          <code data-testid="view-key">{created.key}</code> <Copy text={created.key} />{" "}
          <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <form className="inline" aria-label="New view key" onSubmit={create}>
        <label>
          Name <input name="name" required maxLength={100} placeholder="partner site" />
        </label>
        <button type="submit" disabled={change.busy}>Create a view key</button>
      </form>
      <table className="list">
        <thead>
          <tr><th>Name</th><th>Created</th><th>State</th><th><span className="visually-hidden">Actions</span></th></tr>
        </thead>
        <tbody>
          {keys.data?.data.map((key) => (
            <tr key={key.id}>
              <th scope="row">{key.name}</th>
              <td>{key.created_at}</td>
              <td>{key.revoked_at ? `revoked ${key.revoked_at}` : "active"}</td>
              <td>
                {!key.revoked_at && (
                  <button
                    type="button"
                    aria-label={`Revoke ${key.name}`}
                    onClick={() =>
                      void change.run(async () => (await client()).call("revokeViewKey", { path: { ...path, keyId: key.id } }))
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
