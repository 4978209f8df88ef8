/**
 * @module session
 * Who is using this tab: the chosen user, their development token, and this tab's client id.
 */

const USER_KEY = "lakesync-todo:user";

/** The users the development server hands tokens to. */
export const USERS = ["alice", "bob", "carol"] as const;

/** The user picked last (per browser), defaulting to alice; `?user=` in the URL wins. */
export function currentUser(): string {
  const fromUrl = new URLSearchParams(location.search).get("user");
  if (fromUrl && /^[a-z0-9_-]{1,32}$/i.test(fromUrl)) return fromUrl;
  return localStorage.getItem(USER_KEY) ?? "alice";
}

/** Remembers the user for the next load. */
export function rememberUser(user: string): void {
  localStorage.setItem(USER_KEY, user);
}

/**
 * This tab's client id for a user. It lives in sessionStorage, so a reload keeps it (and with it
 * the tab's local database and outbox) while a new tab is a new replica.
 */
export function tabClientId(user: string): string {
  const key = `lakesync-todo:client:${user}`;
  const existing = sessionStorage.getItem(key);
  if (existing) return existing;
  const id = `${user}-${crypto.randomUUID().slice(0, 8)}`;
  sessionStorage.setItem(key, id);
  return id;
}

/**
 * A token for the user from the development server, cached in localStorage so the app keeps
 * working offline; `refresh` forces a new one (after a 401).
 */
export async function devToken(user: string, refresh: boolean): Promise<string> {
  const key = `lakesync-todo:token:${user}`;
  const cached = localStorage.getItem(key);
  if (cached && !refresh) return cached;
  const response = await fetch(`/dev/token?sub=${encodeURIComponent(user)}`);
  if (!response.ok) throw new Error(`no development token (HTTP ${response.status})`);
  const { token } = (await response.json()) as { token: string };
  localStorage.setItem(key, token);
  return token;
}
