// An audit log as a table, newest first, read a page at a time: what a workspace's log (for
// its admins) and the platform's (for its operators) share. Each event's details (a
// record's fields before and after) on demand.

import type { Schemas } from "@nclcdbaas/sdk";
import { useState, type ReactNode } from "react";
import { recordOp } from "./history";
import { FieldChanges } from "./History";
import { useChange, useLoaded } from "./hooks";

type Event = Schemas["AuditEvent"];
type Page = Schemas["AuditPage"];

/**
 * The log's first page, read again whenever `deps` change, and the older pages after it on
 * demand: `load` reads the page after `cursor` (the first without one).
 */
export function useAuditPages(load: (cursor?: string) => Promise<Page>, deps: readonly unknown[]) {
  const [events, setEvents] = useState<Event[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useLoaded(async () => {
    const page = await load();
    setEvents(page.data);
    setCursor(page.next_cursor ?? null);
    return page;
  }, deps);
  const more = useChange();
  const older = () =>
    void more.run(async () => {
      if (!cursor) return;
      const page = await load(cursor);
      setEvents((shown) => [...shown, ...page.data]);
      setCursor(page.next_cursor ?? null);
    });
  return { events, cursor, loaded: first.data !== null, error: first.error ?? more.error, busy: more.busy, older };
}

export interface AuditTableProps {
  log: ReturnType<typeof useAuditPages>;
  /** Who did it, as a person reads it. */
  who: (actor: string) => ReactNode;
  /** The event's base, as a person reads it. */
  base: (id: string | null | undefined) => ReactNode;
  /** The event's resource, where it is more than its id (a link, say). */
  resource?: (event: Event) => ReactNode | undefined;
  /** What the table is called. */
  label?: string;
}

export function AuditTable({ log, who, base, resource, label = "Audit events" }: AuditTableProps) {
  return (
    <>
      {log.loaded && !log.events.length && <p>No events.</p>}
      <table className="list" data-testid="audit" aria-label={label}>
        <thead>
          <tr><th>When</th><th>Who</th><th>Action</th><th>Base</th><th>Resource</th><th>Details</th></tr>
        </thead>
        <tbody>
          {log.events.map((event) => (
            <tr key={event.id}>
              <td>{event.at}</td>
              <td>{who(event.actor)}</td>
              <th scope="row">{event.action}</th>
              <td>{base(event.base_id)}</td>
              <td>{resource?.(event) ?? <code>{event.resource_id}</code>}</td>
              <td><Details event={event} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {log.cursor && (
        <button type="button" disabled={log.busy} onClick={log.older}>
          Load older events
        </button>
      )}
    </>
  );
}

/** A record's fields before and after; anything else as its JSON. */
function Details({ event }: { event: Event }) {
  const op = recordOp(event.action);
  if (op) return <FieldChanges change={{ op, before: event.before, after: event.after }} />;
  if (!event.after || (typeof event.after === "object" && !Object.keys(event.after).length)) return null;
  return (
    <details>
      <summary>details</summary>
      <pre>{JSON.stringify(event.after, null, 2)}</pre>
    </details>
  );
}
