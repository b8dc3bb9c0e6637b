// The signed-in session: kept in localStorage so that a reload stays signed in, refreshed
// shortly before the access token expires (each refresh token works once), and forgotten
// on sign-out or when the server refuses it.

import { ApiError, createClient, type Client, type Schemas } from "@nclcdbaas/sdk";

type Session = Schemas["Session"];

interface Stored {
  access_token: string;
  refresh_token: string;
  /** When the access token expires, Unix milliseconds. */
  expires_at: number;
}

const KEY = "nclcdbaas.session";
/** Refresh this long before the access token expires. */
const MARGIN_MS = 60_000;

export const apiRoot = (): string => window.location.origin;

function load(): Stored | null {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "null") as Stored | null;
    return stored && typeof stored.refresh_token === "string" ? stored : null;
  } catch {
    return null;
  }
}

let current: Stored | null = load();
let refreshing: Promise<void> | null = null;
const listeners = new Set<() => void>();

function save(session: Session | null): void {
  current = session && {
    access_token: session.access_token,
    refresh_token: session.refresh_token,
    expires_at: Date.now() + session.expires_in * 1000,
  };
  if (current) localStorage.setItem(KEY, JSON.stringify(current));
  else localStorage.removeItem(KEY);
  listeners.forEach((listener) => listener());
}

export const signedIn = (): boolean => current !== null;

/** The signed-in person's actor (`user:<id>`), from their access token. */
export function myActor(): string | null {
  const payload = current?.access_token.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: string };
    return claims.sub ? `user:${claims.sub}` : null;
  } catch {
    return null;
  }
}

export function onChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const anonymous = (): Client => createClient({ baseUrl: apiRoot() });

export async function signIn(email: string, password: string): Promise<void> {
  save(await anonymous().call("login", { body: { email, password } }));
}

export async function signUp(name: string, email: string, password: string): Promise<void> {
  const registered = await anonymous().call("register", { body: { name, email, password } });
  save(registered.session);
}

export async function signOut(): Promise<void> {
  const session = current;
  save(null);
  if (session) await anonymous().call("logout", { body: { refresh_token: session.refresh_token } }).catch(() => {});
}

/** A valid access token, refreshing it first when it is about to expire. */
async function accessToken(): Promise<string> {
  if (current && current.expires_at - MARGIN_MS < Date.now()) {
    const { refresh_token } = current;
    refreshing ??= anonymous()
      .call("refresh", { body: { refresh_token } })
      .then(save, (error: unknown) => {
        // A refused refresh token ends the session; a network failure keeps it for a retry.
        if (error instanceof ApiError && error.status < 500) save(null);
        throw error;
      })
      .finally(() => (refreshing = null));
    await refreshing;
  }
  if (!current) throw new ApiError(401, "AUTH_REQUIRED", "Sign in again.", undefined, {});
  return current.access_token;
}

/** A client with the session's token; with `baseId`, the records API acts on that base. */
export async function client(baseId?: string): Promise<Client> {
  return createClient({ baseUrl: apiRoot(), token: await accessToken(), baseId });
}
