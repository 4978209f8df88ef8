/**
 * @module sync/page-events
 * The page events that should start a sync: coming back online, and the tab becoming visible.
 */

/**
 * Calls `kick` when the browser goes online or the page becomes visible; returns the function
 * that stops listening, or `undefined` outside a browser.
 */
export function listenToPage(kick: () => void): (() => void) | undefined {
  const target = globalThis as {
    addEventListener?: (t: string, f: () => void) => void;
    removeEventListener?: (t: string, f: () => void) => void;
    document?: { visibilityState?: string };
  };
  if (typeof target.addEventListener !== "function") return undefined;
  const visible = () => {
    if (target.document?.visibilityState === "visible") kick();
  };
  target.addEventListener("online", kick);
  target.addEventListener("visibilitychange", visible);
  return () => {
    target.removeEventListener?.("online", kick);
    target.removeEventListener?.("visibilitychange", visible);
  };
}
