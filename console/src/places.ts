// The console's places, as URL hashes (the edge serves one page; the hash picks the screen).

/** Where the console is: `#/`, `#/bases/<id>` or `#/bases/<id>/tables/<name>`. */
export type Place = { screen: "home" } | { screen: "base"; baseId: string; table?: string };

export function placeOf(hash: string): Place {
  const [, bases, baseId, tables, table] = hash.replace(/^#/, "").split("/");
  if (bases === "bases" && baseId) {
    return { screen: "base", baseId, table: tables === "tables" && table ? decodeURIComponent(table) : undefined };
  }
  return { screen: "home" };
}

export const hrefOf = (place: Place): string =>
  place.screen === "home"
    ? "#/"
    : `#/bases/${place.baseId}${place.table ? `/tables/${encodeURIComponent(place.table)}` : ""}`;

/** Who may create bases and change schemas: the roles the API lets alter a schema. */
export const canAlterSchema = (role: string): boolean => role === "admin" || role === "owner";
