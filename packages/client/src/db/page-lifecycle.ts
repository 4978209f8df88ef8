/**
 * @module db/page-lifecycle
 * Knowing when a page is about to be hidden or discarded, the last moment to save a snapshot.
 */

/** Calls `fn` when the page is hidden or unloaded; does nothing outside a browser. */
export function whenPageHides(fn: () => void): void {
  const target = globalThis as {
    addEventListener?: (type: string, fn: () => void) => void;
    document?: { visibilityState?: string };
  };
  if (typeof target.addEventListener !== "function") return;
  target.addEventListener("pagehide", fn);
  target.addEventListener("visibilitychange", () => {
    if (target.document?.visibilityState === "hidden") fn();
  });
}
