/**
 * @module session
 * Who is signed in and their token, kept in IndexedDB (never in web storage).
 */
import { IDBKeyValueStore } from "@lakesync/client";

const settings = new IDBKeyValueStore("lakesync-todo");
const USER_KEY = "user";

/** The users the development server hands tokens to. */
export const USERS = ["alice", "bob", "carol"] as const;

const VALID_USER = /^[a-z0-9_-]{1,32}$/i;

/** The user picked last (per browser), defaulting to alice; `?user=` in the URL wins. */
export async function currentUser(): Promise<string> {
  const fromUrl = new URLSearchParams(location.search).get("user");
  if (fromUrl && VALID_USER.test(fromUrl)) return fromUrl;
  const stored = await settings.get(USER_KEY);
  return stored.ok && stored.value && VALID_USER.test(stored.value) ? stored.value : "alice";
}

/** Remembers the user for the next load. */
export async function rememberUser(user: string): Promise<void> {
  await settings.set(USER_KEY, user);
}

/** Why the app has no token, in words that say what to do. */
export class NoTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoTokenError";
  }
}

/**
 * A token for the user from the development server, cached in IndexedDB so the app keeps working
 * offline; `refresh` forces a new one (after a 401). A server in production mode hands out no
 * development tokens: that is a `NoTokenError` saying so.
 */
export async function devToken(user: string, refresh: boolean): Promise<string> {
  const key = `token:${user}`;
  const cached = await settings.get(key);
  if (cached.ok && cached.value && !refresh) return cached.value;
  const response = await fetch(`/dev/token?sub=${encodeURIComponent(user)}`);
  if (response.status === 404)
    throw new NoTokenError(
      "This server runs in production mode and hands out no development tokens, so your changes stay on this device. Sign in through your app's token provider, or start the server with `npm start` to try the demo.",
    );
  if (!response.ok)
    throw new NoTokenError(
      `The server refused a token (HTTP ${response.status}); try again later.`,
    );
  const { token } = (await response.json()) as { token: string };
  await settings.set(key, token);
  return token;
}
