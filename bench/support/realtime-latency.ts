/**
 * @module bench/support/realtime-latency
 * The latency of a write on client A reaching a row on client B through a gateway (the Node
 * server, or the Worker under `wrangler dev`): B applying the deltas the WebSocket message
 * carries, against B pulling after a bare notification (the path before realtime deltas),
 * both measured in the same run.
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

/** How B learns of A's write: the deltas in the message, or a notification and then a pull. */
export type LatencyPath = "deltas" | "notify-then-pull";

/** A transport that throws away what a message carries: every message makes B pull. */
function notifyThenPull(http: HttpTransport): SyncTransport {
  return {
    push: (request) => http.push(request),
    pull: (request) => http.pull(request),
    checkpoint: (onChunk) => http.checkpoint(onChunk),
    schema: () => http.schema(),
    subscribe: (onChange) => http.subscribe(() => onChange()),
  };
}

async function openClient(target: LatencyTarget, id: string, path: LatencyPath) {
  const db = unwrapOrThrow(await LocalDB.open({ name: id, persistDebounceMs: 3_600_000 }));
  unwrapOrThrow(registerSchema(db, TODO_SCHEMA));
  const queue = new MemoryQueue();
  const clock = new HLC();
  const http = new HttpTransport({
    baseUrl: target.url,
    gatewayId: target.gatewayId,
    token: () => target.token,
  });
  const transport = path === "deltas" ? http : notifyThenPull(http);
  const sync = new SyncCoordinator({
    db,
    queue,
    transport,
    clock,
    clientId: id,
    intervalMs: 3_600_000,
  });
  return { db, sync, tracker: new SyncTracker({ db, queue, clock, clientId: id }) };
}

/** Sorted milliseconds per round: write to B's row, A's sync cycle, B's row after that cycle. */
export interface Latencies {
  readonly samples: number[];
  readonly pushMs: number[];
  readonly afterAck: number[];
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
  await new Promise((r) => setTimeout(r, 300));
  const samples: number[] = [];
  const pushMs: number[] = [];
  const afterAck: number[] = [];
  for (let i = 0; i < rounds + warmup; i++) {
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
    await a.sync.syncNow();
    const pushed = performance.now();
    await arrived;
    if (i < warmup) continue;
    samples.push(at - t0);
    pushMs.push(pushed - t0);
    afterAck.push(at - pushed);
  }
  b.sync.stop();
  await a.db.close();
  await b.db.close();
  for (const list of [samples, pushMs, afterAck]) list.sort((x, y) => x - y);
  return { samples, pushMs, afterAck };
}

/**
 * Both paths, in alternating blocks of `block` rounds (fresh clients each block), so that a
 * change in the machine's load during the run weighs on both alike.
 */
export async function measureBothPaths(
  target: LatencyTarget,
  rounds: number,
  block = 50,
): Promise<Record<LatencyPath, Latencies>> {
  const out: Record<LatencyPath, Latencies> = {
    "notify-then-pull": { samples: [], pushMs: [], afterAck: [] },
    deltas: { samples: [], pushMs: [], afterAck: [] },
  };
  for (let done = 0; done < rounds; done += block) {
    const size = Math.min(block, rounds - done);
    for (const path of ["notify-then-pull", "deltas"] as const) {
      const measured = await measureLatency(target, path, size);
      const into = out[path];
      into.samples.push(...measured.samples);
      into.pushMs.push(...measured.pushMs);
      into.afterAck.push(...measured.afterAck);
    }
  }
  for (const latencies of Object.values(out))
    for (const list of [latencies.samples, latencies.pushMs, latencies.afterAck])
      list.sort((x, y) => x - y);
  return out;
}

/** The `p`-th percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** A bench row for a latency measurement: writes per second at the median. */
export function latencyRow(name: string, measured: Latencies, baseline?: string): BenchRow {
  const { samples, pushMs, afterAck } = measured;
  const p50 = percentile(samples, 0.5);
  return {
    name,
    opsPerSec: 1000 / p50,
    unit: "writes",
    ...(baseline ? { baseline } : {}),
    note: `p50 ${p50.toFixed(1)} ms, p99 ${percentile(samples, 0.99).toFixed(1)} ms (goals 5 ms, 25 ms); A's sync cycle (pull, push) alone p50 ${percentile(pushMs, 0.5).toFixed(1)} ms, B's row after A's cycle returned p50 ${percentile(afterAck, 0.5).toFixed(1)} ms (negative: before); ${samples.length} rounds on loopback`,
  };
}
