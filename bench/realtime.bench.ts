/**
 * @module bench/realtime
 * A write on client A reaching a row on client B, through the Node gateway and through the
 * Worker (real workerd under `wrangler dev`): A pushing first after its write and skipping the
 * pull while its replica is current (ADR-018), against A's previous cycle (pull, then push) and
 * the path before realtime deltas (B pulls on a bare notification), all in the same run, in
 * alternating blocks. On Node the push-first path is also measured through a second server whose
 * store does not fsync each commit (`LAKESYNC_DURABILITY=normal`), to show what the fsync costs.
 *
 * `BENCH_REALTIME_ROUNDS` (default 200) sets the rounds per path; `BENCH_REALTIME_WORKER=0` skips
 * the Worker.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unwrapOrThrow } from "@lakesync/core";
import {
  DEV_JWT_SECRET,
  devToken,
  loadConfig,
  type RunningServer,
  startServer,
} from "@lakesync/server";
import { type BenchRow, table } from "./harness.js";
import {
  type LatencyTarget,
  latencyRow,
  measurePaths,
  measureRuns,
} from "./support/realtime-latency.js";
import { withWorker } from "./support/realtime-worker.js";

const ROUNDS = Number(process.env.BENCH_REALTIME_ROUNDS ?? 200);
const log = (line: string) => process.stderr.write(`  ${line}\n`);
const name = {
  baseline: (host: string) =>
    `${host}: write on A to row on B (A pulls, then pushes; deltas in the message)`,
  pushFirst: (host: string) =>
    `${host}: write on A to row on B (A pushes first, no pull while current; deltas in the message)`,
  notify: (host: string) =>
    `${host}: write on A to row on B (A pulls, then pushes; B pulls on a bare notification)`,
};

async function server(durability: "full" | "normal") {
  const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-realtime-"));
  const config = unwrapOrThrow(
    loadConfig({
      PORT: "0",
      LAKESYNC_DATA_DIR: dir,
      LAKESYNC_FLUSH_MAX_AGE_MS: "86400000",
      LAKESYNC_DURABILITY: durability,
    }),
  );
  const running = unwrapOrThrow(await startServer(config));
  const target: LatencyTarget = {
    url: running.url,
    gatewayId: "todos",
    token: await devToken(DEV_JWT_SECRET, "alice", false),
  };
  return { running, target, dir };
}

async function stop(s: { running: RunningServer; dir: string }) {
  await s.running.close();
  rmSync(s.dir, { recursive: true, force: true });
}

const rows: BenchRow[] = [];
const full = await server("full");
const normal = await server("normal");
try {
  log(`Node: ${ROUNDS} writes from A to B on each path`);
  const m = await measureRuns(
    {
      baseline: { target: full.target, path: "deltas" },
      pushFirst: { target: full.target, path: "push-first" },
      notify: { target: full.target, path: "notify-then-pull" },
      unsynced: { target: normal.target, path: "push-first" },
    },
    ROUNDS,
  );
  const baseline = name.baseline("Node");
  rows.push(
    latencyRow(baseline, m.baseline),
    latencyRow(name.pushFirst("Node"), m.pushFirst, baseline),
    latencyRow(name.notify("Node"), m.notify, baseline),
    latencyRow(
      "Node, store without fsync per commit (LAKESYNC_DURABILITY=normal): A pushes first",
      m.unsynced,
      name.pushFirst("Node"),
    ),
  );
} finally {
  await stop(full);
  await stop(normal);
}
if (process.env.BENCH_REALTIME_WORKER !== "0") {
  log(`Worker: ${ROUNDS} writes from A to B on each path`);
  const m = await withWorker((target) =>
    measurePaths(target, ["deltas", "push-first", "notify-then-pull"], ROUNDS),
  );
  const baseline = name.baseline("Worker");
  rows.push(
    latencyRow(baseline, m.deltas),
    latencyRow(name.pushFirst("Worker"), m["push-first"], baseline),
    latencyRow(name.notify("Worker"), m["notify-then-pull"], baseline),
  );
}

process.stdout.write(table("realtime: a write on A reaching B", rows));
// Debounced snapshot timers of the benchmark databases would keep the process alive.
process.exit(0);
