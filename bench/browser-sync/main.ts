/// <reference types="vite/client" />
/**
 * @module bench/browser-sync/main
 * The page of the browser initial-sync benchmark: a fresh replica downloads the gateway's
 * checkpoint over HTTP and applies it, then the page publishes the time to queryable as
 * `window.lakesyncBench` for the runner (bench/client.bench.ts) to read.
 */
import {
  HttpTransport,
  type InitialSyncProgress,
  LocalDB,
  MemoryQueue,
  SyncCoordinator,
} from "@lakesync/client";
import { HLC } from "@lakesync/core";
import wasmUrl from "sql.js/dist/sql-wasm.wasm?url";

/** What the page reports. */
interface BenchResult {
  readonly error?: string;
  readonly seconds?: number;
  readonly rows?: number;
  readonly progress?: readonly InitialSyncProgress[];
  readonly heapBytes?: number;
}

const publish = (result: BenchResult) => {
  (globalThis as { lakesyncBench?: BenchResult }).lakesyncBench = result;
};

async function run(): Promise<BenchResult> {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const opened = await LocalDB.open({
    name: "browser-bench",
    sqlJs: { locateFile: () => wasmUrl },
    persistDebounceMs: 3_600_000,
  });
  if (!opened.ok) return { error: opened.error.message };
  const db = opened.value;
  const transport = new HttpTransport({
    baseUrl: location.origin,
    gatewayId: "todos",
    token: () => token,
  });
  const sync = new SyncCoordinator({
    db,
    queue: new MemoryQueue(),
    transport,
    clock: new HLC(),
    clientId: "browser-bench",
    intervalMs: 3_600_000,
  });
  const progress: InitialSyncProgress[] = [];
  sync.onProgress((p) => progress.push(p));
  const t0 = performance.now();
  const synced = await sync.syncNow();
  const seconds = (performance.now() - t0) / 1000;
  if (!synced.ok) return { error: synced.error.message };
  const rows = db.queryValues("SELECT count(*) FROM todos");
  const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
  return {
    seconds,
    rows: rows.ok ? Number(rows.value[0]?.[0] ?? 0) : -1,
    progress,
    ...(memory ? { heapBytes: memory.usedJSHeapSize } : {}),
  };
}

run().then(publish, (error: unknown) => publish({ error: String(error) }));
