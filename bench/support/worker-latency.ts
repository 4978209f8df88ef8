/**
 * @module bench/support/worker-latency
 * The latency of a write on A reaching B through the Worker (real workerd under `wrangler dev`,
 * offline, as the Worker's tests start it), both realtime paths in the same run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TODO_RULES, TODO_SCHEMA } from "@lakesync/server";
import { startWorker, token } from "../../apps/gateway-worker/src/__tests__/wrangler-dev.js";
import type { BenchRow } from "../harness.js";
import { latencyRow, measureBothPaths } from "./realtime-latency.js";

/** Rows for both paths through the Worker; the notify-then-pull one is the baseline. */
export async function workerLatencyRows(rounds: number): Promise<BenchRow[]> {
  process.stderr.write(
    `  latency: ${rounds} writes from A to B through the Worker (wrangler dev)\n`,
  );
  const dir = mkdtempSync(join(tmpdir(), "lakesync-bench-worker-"));
  const worker = await startWorker(dir, { GATEWAY_PATTERN: "gw-.*", FLUSH_MAX_AGE_MS: "86400000" });
  try {
    const admin = { authorization: `Bearer ${await token("ops", true)}` };
    for (const [path, body] of [
      ["schema", TODO_SCHEMA],
      ["sync-rules", TODO_RULES],
    ] as const) {
      const response = await fetch(`${worker.url}/admin/${path}/gw-bench`, {
        method: "POST",
        headers: { ...admin, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    }
    const target = { url: worker.url, gatewayId: "gw-bench", token: await token("alice") };
    const { "notify-then-pull": pulled, deltas: carried } = await measureBothPaths(target, rounds);
    const before = "Worker: write on A to row on B (HTTP push, WebSocket notify, pull)";
    return [
      latencyRow(before, pulled),
      latencyRow(
        "Worker: write on A to row on B (deltas in the WebSocket message)",
        carried,
        before,
      ),
    ];
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
