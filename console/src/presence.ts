// Who else follows a table, as a stream with presence tells it. Pure.

import type { Present, PresenceChange } from "@nclcdbaas/sdk";

/** The people there after a change: everyone (at each connection), one more, or one fewer. */
export function applyPresence(people: Present[], change: PresenceChange): Present[] {
  switch (change.type) {
    case "presence":
      return change.present;
    case "user:join":
      return people.some((person) => person.actor === change.person.actor) ? people : [...people, change.person];
    case "user:leave":
      return people.filter((person) => person.actor !== change.person.actor);
  }
}

/** Up to two initials of a name ("Ada Lovelace" → "AL"), or "?" without one. */
export function initials(name: string | null): string {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  return words.length ? words.slice(0, 2).map((word) => [...word][0].toUpperCase()).join("") : "?";
}
