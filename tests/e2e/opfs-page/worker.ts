/**
 * @module tests/e2e/opfs-page/worker
 * A worker that opens a `LocalDB` in OPFS, as a leader's replica worker does, and answers the
 * page's calls (open, write, read, close).
 */
import { LocalDB } from "@lakesync/client";

let db: LocalDB | undefined;

type Call =
  | { readonly kind: "open"; readonly name: string; readonly retryForMs: number }
  | { readonly kind: "write"; readonly id: string }
  | { readonly kind: "read" }
  | { readonly kind: "close" };

async function answer(call: Call): Promise<unknown> {
  switch (call.kind) {
    case "open": {
      const t0 = performance.now();
      const opened = await LocalDB.open({
        name: call.name,
        engine: "opfs",
        opfs: { retryForMs: call.retryForMs },
      });
      if (!opened.ok) return { error: opened.error.message, ms: performance.now() - t0 };
      db = opened.value;
      const made = db.exec("CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY)");
      if (!made.ok) return { error: made.error.message };
      return { engine: db.engine, ms: performance.now() - t0 };
    }
    case "write": {
      const written = db?.exec("INSERT INTO t VALUES (?)", [call.id]);
      return written?.ok ? {} : { error: written?.error.message ?? "not open" };
    }
    case "read": {
      const rows = db?.query<{ id: string }>("SELECT id FROM t ORDER BY id");
      return rows?.ok ? { ids: rows.value.map((r) => r.id) } : { error: "cannot read" };
    }
    case "close": {
      const closed = await db?.close();
      return closed?.ok === false ? { error: closed.error.message } : {};
    }
  }
}

self.onmessage = async (event: MessageEvent<Call>) => {
  self.postMessage(await answer(event.data));
};
