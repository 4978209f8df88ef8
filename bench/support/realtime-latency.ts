/**
 * @module bench/support/realtime-latency
 * The latency of a write on client A reaching a row on client B through a gateway (the Node
 * server, or the Worker under `wrangler dev`), by one of three paths measured in the same run:
 * A pushing first after its write while B applies the deltas the WebSocket message carries
 * (ADR-018), A pulling then pushing (the cycle before it), and B pulling after a bare
 * notification (the path before realtime deltas).
 */
import {
  HttpTransport,
  LocalDB,
  MemoryQueue,
  registerSchema,
  SyncCoordinator,
  SyncTracker,
  type SyncTransport,
} from "@lakesync/client";
import { HLC, unwrapOrThrow } from "@lakesync/core";
import { TODO_SCHEMA } from "@lakesync/server";
import type { BenchRow } from "../harness.js";

/** A gateway to measure through. */
export interface LatencyTarget {
  readonly url: string;
  readonly gatewayId: string;
  /** A token for the user both clients sync as. */
  readonly token: string;
}

/**
 * How A's write reaches B: `push-first` (A's cycle after a write pushes and skips the pull while
 * its replica is current; B applies the message's deltas), `deltas` (A pulls, then pushes; B
 * applies the message's deltas), `notify-then-pull` (A pulls, then pushes; B pulls on a bare
 * notification).
 */
export type LatencyPath = "push-first" | "deltas" | "notify-then-pull";

/** A transport that throws away what a message carries: every message makes B pull. */
function notifyThenPull(http: HttpTransport, timing: { message: number }): SyncTransport {
  return {
    push: (request) => http.push(request),
    pull: (request) => http.pull(request),
    checkpoint: (onChunk) => http.checkpoint(onChunk),
    schema: () => http.schema(),
    subscribe: (onChange) =>
      http.subscribe(() => {
        timing.message = performance.now();
        onChange();
      }),
  };
}

async function openClient(target: LatencyTarget, id: string, path: LatencyPath) {
  const requests = { pulls: 0 };
  /** When this client last sent a push, and last heard a realtime message. */
  const timing = { pushSent: 0, message: 0 };
  const counting: typeof fetch = (input, init) => {
    const url = String(input);
    if (url.includes("/pull?")) requests.pulls++;
    if (url.endsWith("/push")) timing.pushSent = performance.now();
    return fetch(input, init);
  };
  const db = unwrapOrThrow(await LocalDB.open({ name: id, persistDebounceMs: 3_600_000 }));
  unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
  const queue = new MemoryQueue();
  const clock = new HLC();
  const http = new HttpTransport({
    baseUrl: target.url,
    gatewayId: target.gatewayId,
    token: () => target.token,
    fetch: counting,
  });
  const timed: SyncTransport = {
    push: (request) => http.push(request),
    pull: (request) => http.pull(request),
    checkpoint: (onChunk) => http.checkpoint(onChunk),
    schema: () => http.schema(),
    subscribe: (onChange, options) =>
      http.subscribe((notification) => {
        timing.message = performance.now();
        onChange(notification);
      }, options),
  };
  const transport = path === "notify-then-pull" ? notifyThenPull(http, timing) : timed;
  const sync = new SyncCoordinator({
    db,
    queue,
    transport,
    clock,
    clientId: id,
    intervalMs: 3_600_000,
  });
  const tracker = new SyncTracker({ db, queue, clock, clientId: id });
  return { db, sync, requests, timing, tracker };
}

/** Sorted milliseconds per round: write to B's row, A's sync cycle, B's row after that cycle. */
export interface Latencies {
  readonly samples: number[];
  readonly pushMs: number[];
  readonly afterAck: number[];
  /** From A sending its push to B hearing the message: the gateway's part (and loopback's). */
  readonly toMessage: number[];
  /** From B hearing the message to the row in B's replica (a pull included, where B pulls). */
  readonly toRow: number[];
  /** Pull requests A made during the measured rounds. */
  aPulls: number;
}

/** Milliseconds from each write on A to its row on B, sorted; the first `warmup` left out. */
export async function measureLatency(
  target: LatencyTarget,
  path: LatencyPath,
  rounds: number,
  warmup = 10,
): Promise<Latencies> {
  const tag = `${path}-${Math.random().toString(36).slice(2, 8)}`;
  const a = await openClient(target, `a-${tag}`, path);
  const b = await openClient(target, `b-${tag}`, path);
  b.sync.start();
  unwrapOrThrow(await b.sync.syncNow());
  // Where messages carry deltas A subscribes too: its own pushes come back as empty messages
  // that move its cursor on, which is what lets it skip the pull after a write.
  if (path !== "notify-then-pull") {
    a.sync.start();
    unwrapOrThrow(await a.sync.syncNow());
  }
  await new Promise((r) => setTimeout(r, 300));
  const samples: number[] = [];
  const pushMs: number[] = [];
  const afterAck: number[] = [];
  const toMessage: number[] = [];
  const toRow: number[] = [];
  let pullsBefore = a.requests.pulls;
  for (let i = 0; i < rounds + warmup; i++) {
    if (i === warmup) pullsBefore = a.requests.pulls;
    const id = `lat-${tag}-${i}`;
    let at = 0;
    const arrived = new Promise<void>((resolve) => {
      const stop = b.db.watch<{ n: number }>(
        "SELECT count(*) AS n FROM todos WHERE id = ?",
        [id],
        (r) => {
          if ((r[0]?.n ?? 0) > 0) {
            at = performance.now();
            queueMicrotask(() => stop());
            resolve();
          }
        },
      );
    });
    const t0 = performance.now();
    unwrapOrThrow(
      await a.tracker.insert("todos", {
        id,
        title: "ping",
        completed: false,
        owner: "alice",
        private: true,
      }),
    );
    await a.sync.syncNow(path === "push-first" ? { afterWrite: true } : {});
    const pushed = performance.now();
    await arrived;
    if (i < warmup) continue;
    samples.push(at - t0);
    pushMs.push(pushed - t0);
    afterAck.push(at - pushed);
    toMessage.push(b.timing.message - a.timing.pushSent);
    toRow.push(at - b.timing.message);
  }
  const aPulls = a.requests.pulls - pullsBefore;
  b.sync.stop();
  a.sync.stop();
  await a.db.close();
  await b.db.close();
  for (const list of [samples, pushMs, afterAck, toMessage, toRow]) list.sort((x, y) => x - y);
  return { samples, pushMs, afterAck, toMessage, toRow, aPulls };
}

/**
 * The two paths of realtime deltas (`notify-then-pull`, `deltas`); see {@link measurePaths}.
 */
export async function measureBothPaths(
  target: LatencyTarget,
  rounds: number,
  block = 50,
): Promise<Record<"notify-then-pull" | "deltas", Latencies>> {
  return measurePaths(target, ["notify-then-pull", "deltas"], rounds, block);
}

/**
 * Each of `paths`, in alternating blocks of `block` rounds (fresh clients each block), so that a
 * change in the machine's load during the run weighs on all alike.
 */
export async function measurePaths<P extends LatencyPath>(
  target: LatencyTarget,
  paths: readonly P[],
  rounds: number,
  block = 50,
): Promise<Record<P, Latencies>> {
  const runs = {} as Record<P, LatencyRun>;
  for (const path of paths) runs[path] = { target, path };
  return measureRuns(runs, rounds, block);
}

/** One measured combination: a path through a gateway. */
export interface LatencyRun {
  readonly target: LatencyTarget;
  readonly path: LatencyPath;
}

/** Like {@link measurePaths}, for named runs that may go through different gateways. */
export async function measureRuns<K extends string>(
  runs: Readonly<Record<K, LatencyRun>>,
  rounds: number,
  block = 50,
): Promise<Record<K, Latencies>> {
  const keys = Object.keys(runs) as K[];
  const out = {} as Record<K, Latencies>;
  for (const key of keys)
    out[key] = { samples: [], pushMs: [], afterAck: [], toMessage: [], toRow: [], aPulls: 0 };
  for (let done = 0; done < rounds; done += block) {
    const size = Math.min(block, rounds - done);
    for (const key of keys) {
      const measured = await measureLatency(runs[key].target, runs[key].path, size);
      const into = out[key];
      into.samples.push(...measured.samples);
      into.pushMs.push(...measured.pushMs);
      into.afterAck.push(...measured.afterAck);
      into.toMessage.push(...measured.toMessage);
      into.toRow.push(...measured.toRow);
      into.aPulls += measured.aPulls;
    }
  }
  for (const latencies of Object.values<Latencies>(out))
    for (const list of [
      latencies.samples,
      latencies.pushMs,
      latencies.afterAck,
      latencies.toMessage,
      latencies.toRow,
    ])
      list.sort((x, y) => x - y);
  return out;
}

/** The `p`-th percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** A bench row for a latency measurement: writes per second at the median. */
export function latencyRow(name: string, measured: Latencies, baseline?: string): BenchRow {
  const { samples, pushMs, afterAck, toMessage, toRow, aPulls } = measured;
  const p50 = percentile(samples, 0.5);
  return {
    name,
    opsPerSec: 1000 / p50,
    unit: "writes",
    ...(baseline ? { baseline } : {}),
    note: `p50 ${p50.toFixed(1)} ms, p99 ${percentile(samples, 0.99).toFixed(1)} ms (goals 5 ms, 25 ms); A's sync cycle alone p50 ${percentile(pushMs, 0.5).toFixed(1)} ms, B's row after A's cycle returned p50 ${percentile(afterAck, 0.5).toFixed(1)} ms (negative: before); A's push sent to B's message p50 ${percentile(toMessage, 0.5).toFixed(1)} ms, B's message to row p50 ${percentile(toRow, 0.5).toFixed(1)} ms; A's pulls per write ${(aPulls / Math.max(1, samples.length)).toFixed(2)}; ${samples.length} rounds on loopback`,
  };
}
