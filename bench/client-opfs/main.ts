/// <reference types="vite/client" />
/**
 * @module bench/client-opfs/main
 * The page of the browser persistence benchmark (bench/client-opfs.bench.ts). The runner calls
 * `lakesyncPersistBench(...)`: it stores the seed database as a sql.js snapshot in IndexedDB,
 * opens the replica on the page's thread or in a dedicated worker (OPFS: the snapshot is imported
 * on open), makes `rounds` writes durable one after the other, and reports each one's time from
 * the page's call to its durable answer, and the page thread's longest pause meanwhile (the
 * longest gap of a `setTimeout(0)` loop, and the longest 'longtask' entry).
 */
import { IDBSnapshotStore, type LocalDBEngine } from "@lakesync/client";
import { openBenchReplica } from "./replica.js";

/** What one run reports. */
export interface PersistRun {
  readonly error?: string;
  readonly engine?: string;
  readonly writesMs?: readonly number[];
  readonly longestGapMs?: number;
  readonly longestTaskMs?: number;
}

type Write = (id: string) => Promise<{ ms?: number; error?: string }>;

async function inWorker(name: string, engine: LocalDBEngine) {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  let answer: (value: { ms?: number; error?: string; engine?: string }) => void = () => {};
  worker.onmessage = (event) => answer(event.data);
  const ask = (message: unknown) =>
    new Promise<{ ms?: number; error?: string; engine?: string }>((resolve) => {
      answer = resolve;
      worker.postMessage(message);
    });
  const opened = await ask({ kind: "open", name, engine });
  const write: Write = (id) => ask({ kind: "write", id });
  return { opened, write, close: () => worker.terminate() };
}

async function onPage(name: string, engine: LocalDBEngine) {
  const opened = await openBenchReplica(name, engine);
  if (!opened.ok) return { opened: { error: opened.error.message }, write: null, close: () => {} };
  const replica = opened.value;
  const write: Write = async (id) => {
    const written = await replica.write(id);
    return written.ok ? {} : { error: written.error.message };
  };
  return { opened: { engine: replica.engine }, write, close: () => void replica.close() };
}

/** Watches the page's thread: the longest gap between two `setTimeout(0)` turns, long tasks. */
function watchPauses() {
  let running = true;
  let longestGap = 0;
  let longestTask = 0;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
  });
  observer.observe({ type: "longtask", buffered: false });
  return () => {
    running = false;
    observer.disconnect();
    return { longestGapMs: longestGap, longestTaskMs: longestTask };
  };
}

async function run(
  seedUrl: string,
  where: "page" | "worker",
  engine: LocalDBEngine,
  rounds: number,
): Promise<PersistRun> {
  const name = `bench-${where}-${engine}`;
  const seed = new Uint8Array(await (await fetch(seedUrl)).arrayBuffer());
  const stored = await new IDBSnapshotStore().save(name, seed);
  if (!stored.ok) return { error: `${stored.error.message}: ${String(stored.error.cause)}` };
  const replica = where === "worker" ? await inWorker(name, engine) : await onPage(name, engine);
  if (replica.opened.error !== undefined || !replica.write)
    return { error: replica.opened.error ?? "cannot open" };
  const write = replica.write;
  const warm = await write("warm-up");
  if (warm.error !== undefined) return { error: warm.error };
  await new Promise((resolve) => setTimeout(resolve, 200));
  const stop = watchPauses();
  const writesMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const written = await write(`write-${i}`);
    if (written.error !== undefined) return { error: written.error };
    writesMs.push(performance.now() - t0);
    // A breath between writes, as a person's writes come: the pause loop sees every turn.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const pauses = stop();
  replica.close();
  return { engine: replica.opened.engine ?? engine, writesMs, ...pauses };
}

(globalThis as { lakesyncPersistBench?: typeof run }).lakesyncPersistBench = run;
