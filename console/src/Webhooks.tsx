// A base's webhooks: endpoints that receive its record changes (create one with its events,
// tables and a condition, its secret shown once; turn one off or on, give it a new secret,
// delete it), a warning for each endpoint turned off after failing, and each endpoint's
// delivery log with its attempts, where a delivery can be sent again.

import type { Schemas } from "@nclcdbaas/sdk";
import { useEffect, useState, type FormEvent } from "react";
import { compiler, type Compiler } from "./checks";
import { builtWhere, ConditionBuilder, draftOf, type Draft } from "./ConditionBuilder";
import { Copy } from "./Copy";
import { useChange, useLoaded } from "./hooks";
import { Problem } from "./Problem";
import { client } from "./session";

type Base = Schemas["Base"];
type Webhook = Schemas["Webhook"];
type EventType = Schemas["EventType"];

const EVENTS = ["record.created", "record.updated", "record.deleted"] as const satisfies readonly EventType[];
const FILTER_TYPES = ["number", "date", "text", "long_text", "single_select", "url", "boolean"];

export function Webhooks({ base }: { base: Base }) {
  const baseId = base.id;
  const hooks = useLoaded(async () => (await client()).call("listWebhooks", { path: { baseId } }), [baseId]);
  const change = useChange(hooks.reload);
  const [secret, setSecret] = useState<Schemas["CreatedWebhook"] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const tableName = (id: string) => base.tables.find((table) => table.id === id)?.name ?? id;
  const off = hooks.data?.data.filter((hook) => !hook.enabled && hook.disabled_reason && !hook.disabled_reason.startsWith("Turned off by")) ?? [];
  const path = (hook: Webhook) => ({ baseId, webhookId: hook.id });
  const turn = (hook: Webhook, enabled: boolean) =>
    void change.run(async () => (await client()).call("updateWebhook", { path: path(hook), body: { enabled } }));

  return (
    <section>
      <h2>Webhooks</h2>
      <p className="hint">
        An endpoint receives this base's record changes as signed POSTs (Standard Webhooks), from the change log: every
        change at least once, in order per record, retried for days when the receiver fails.
      </p>
      <Problem error={hooks.error ?? change.error} />
      {off.map((hook) => (
        <div key={hook.id} className="preview" role="alert" aria-label={`${hook.name} is off`}>
          <p>
            <strong>{hook.name}</strong> was turned off: {hook.disabled_reason}
          </p>
          <button type="button" onClick={() => turn(hook, true)}>Turn on</button>
        </div>
      ))}
      {secret && (
        <div className="secret" role="status">
          <p>
            The signing secret of <strong>{secret.name}</strong>. Copy it now: it is not shown again.
          </p>
          <code data-testid="webhook-secret">{secret.secret}</code> <Copy text={secret.secret} />{" "}
          <button type="button" onClick={() => setSecret(null)}>Done</button>
        </div>
      )}
      <NewEndpoint base={base} created={(made) => void change.run(async () => setSecret(made))} />
      <table className="list">
        <thead>
          <tr>
            <th>Name</th><th>URL</th><th>Events</th><th>Tables</th><th>State</th><th>Waiting</th>
            <th><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {hooks.data?.data.map((hook) => (
            <tr key={hook.id}>
              <th scope="row">{hook.name}</th>
              <td><code>{hook.url}</code></td>
              <td>{hook.events.join(", ")}</td>
              <td>
                {hook.tables.length ? hook.tables.map(tableName).join(", ") : "all"}
                {hook.filter ? " (filtered)" : ""}
              </td>
              <td>
                {hook.enabled ? (hook.failing_since ? `failing since ${hook.failing_since}` : "on") : "off"}
              </td>
              <td>{hook.pending}</td>
              <td className="actions">
                <button type="button" aria-expanded={open === hook.id} onClick={() => setOpen(open === hook.id ? null : hook.id)}>
                  Deliveries
                </button>
                <button type="button" aria-label={`${hook.enabled ? "Turn off" : "Turn on"} ${hook.name}`} onClick={() => turn(hook, !hook.enabled)}>
                  {hook.enabled ? "Turn off" : "Turn on"}
                </button>
                <button
                  type="button"
                  aria-label={`New secret for ${hook.name}`}
                  onClick={() => void change.run(async () => setSecret(await (await client()).call("rotateWebhookSecret", { path: path(hook) })))}
                >
                  New secret
                </button>
                <button
                  type="button"
                  aria-label={`Delete ${hook.name}`}
                  onClick={() => {
                    if (window.confirm(`Delete ${hook.name} and its delivery log?`)) {
                      void change.run(async () => (await client()).call("deleteWebhook", { path: path(hook) }));
                    }
                  }}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hooks.data && !hooks.data.data.length && <p>No endpoints yet.</p>}
      {open && hooks.data?.data.some((hook) => hook.id === open) && (
        <Deliveries key={open} baseId={baseId} hook={hooks.data.data.find((hook) => hook.id === open) as Webhook} changed={hooks.reload} />
      )}
    </section>
  );
}

function NewEndpoint({ base, created }: { base: Base; created: (made: Schemas["CreatedWebhook"]) => void }) {
  const change = useChange();
  const [tables, setTables] = useState<string[]>([]);
  const [draft, setDraft] = useState<Draft>(draftOf(undefined));
  const [compiled, setCompiled] = useState<Compiler | null>(null);
  useEffect(() => void compiler().then(setCompiled, () => setCompiled(null)), []);
  const only = tables.length === 1 ? base.tables.find((table) => table.name === tables[0]) : undefined;
  const columns = only?.fields.filter((field) => FILTER_TYPES.includes(field.type)).map((field) => ({ name: field.name, type: field.type })) ?? [];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const filter = only ? builtWhere(draft, columns) : undefined;
    const body: Schemas["WebhookRequest"] = {
      name: String(data.get("name")),
      url: String(data.get("url")),
      events: EVENTS.filter((event) => data.get(event) === "on"),
      tables,
      filter: filter ?? null,
    };
    void change.run(async () => {
      created(await (await client()).call("createWebhook", { path: { baseId: base.id }, body }));
      form.reset();
      setTables([]);
      setDraft(draftOf(undefined));
    });
  }

  return (
    <form className="stacked" aria-label="New endpoint" onSubmit={submit}>
      <Problem error={change.error} />
      <label>
        Name <input name="name" required maxLength={100} placeholder="orders to the warehouse" />
      </label>
      <label>
        URL <input name="url" type="url" required maxLength={2048} placeholder="https://example.com/hooks/orders" />
      </label>
      <fieldset>
        <legend>Events</legend>
        {EVENTS.map((event) => (
          <label key={event}>
            <input type="checkbox" name={event} defaultChecked /> {event}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Tables (none ticked: every table)</legend>
        {base.tables.map((table) => (
          <label key={table.id}>
            <input
              type="checkbox"
              checked={tables.includes(table.name)}
              onChange={(event) =>
                setTables(event.target.checked ? [...tables, table.name] : tables.filter((name) => name !== table.name))
              }
            />{" "}
            {table.name}
          </label>
        ))}
      </fieldset>
      {only && columns.length > 0 && (
        <ConditionBuilder legend={`Only ${only.name} records where`} draft={draft} setDraft={setDraft} columns={columns} compiled={compiled} />
      )}
      <button type="submit" disabled={change.busy}>Create endpoint</button>
    </form>
  );
}

function Deliveries({ baseId, hook, changed }: { baseId: string; hook: Webhook; changed: () => Promise<unknown> }) {
  const [state, setState] = useState<"" | Schemas["DeliveryState"]>("");
  const [pages, setPages] = useState<Schemas["Delivery"][]>([]);
  const [before, setBefore] = useState<number | null>(null);
  const load = async (after: number | null) => {
    const query = { ...(state ? { state } : {}), ...(after !== null ? { before: after } : {}) };
    return (await client()).call("listWebhookDeliveries", { path: { baseId, webhookId: hook.id }, query });
  };
  const first = useLoaded(async () => {
    const page = await load(null);
    setPages(page.data);
    setBefore(page.next_before ?? null);
    return page;
  }, [hook.id, state]);
  const change = useChange(async () => {
    await first.reload();
    await changed();
  });
  const paging = useChange();

  return (
    <section aria-label={`Deliveries of ${hook.name}`}>
      <h3>Deliveries of {hook.name}</h3>
      <Problem error={first.error ?? change.error ?? paging.error} />
      <label>
        Show{" "}
        <select value={state} onChange={(event) => setState(event.target.value as typeof state)}>
          <option value="">all</option>
          <option value="pending">pending</option>
          <option value="delivered">delivered</option>
          <option value="failed">failed</option>
        </select>
      </label>
      <table className="list">
        <thead>
          <tr>
            <th>Message</th><th>Event</th><th>Record</th><th>State</th><th>Attempts</th><th>Last answer</th><th>Queued</th>
            <th><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {pages.map((delivery) => {
            const last = delivery.attempts[0];
            return (
              <tr key={delivery.id} data-testid="delivery">
                <th scope="row"><code>{delivery.message_id}</code></th>
                <td>{delivery.event}</td>
                <td><code>{delivery.record_id}</code></td>
                <td>{delivery.state}{delivery.next_attempt_at ? ` (next ${delivery.next_attempt_at})` : ""}</td>
                <td>{delivery.attempts.length}</td>
                <td>
                  {last ? `${last.status ?? "no answer"} in ${last.latency_ms} ms${last.error ? `: ${last.error}` : ""}` : "not sent yet"}
                </td>
                <td>{delivery.created_at}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Send ${delivery.message_id} again`}
                    onClick={() =>
                      void change.run(async () =>
                        (await client()).call("redeliverWebhook", { path: { baseId, webhookId: hook.id, deliveryId: delivery.id } }),
                      )
                    }
                  >
                    Send again
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {first.data && !pages.length && <p>No deliveries{state ? ` ${state}` : ""} yet.</p>}
      {before !== null && (
        <button
          type="button"
          onClick={() =>
            void paging.run(async () => {
              const page = await load(before);
              setPages([...pages, ...page.data]);
              setBefore(page.next_before ?? null);
            })
          }
        >
          Older deliveries
        </button>
      )}
    </section>
  );
}
