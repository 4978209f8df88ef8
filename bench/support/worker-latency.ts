/**
 * @module bench/support/worker-latency
 * The latency of a write on A reaching B through the Worker (real workerd under `wrangler dev`,
 * offline, as the Worker's tests start it), both realtime paths in the same run.
 */
import type { BenchRow } from "../harness.js";
import { latencyRow, measureBothPaths } from "./realtime-latency.js";
import { withWorker } from "./realtime-worker.js";

/** Rows for both paths through the Worker; the notify-then-pull one is the baseline. */
export async function workerLatencyRows(rounds: number): Promise<BenchRow[]> {
  process.stderr.write(
    `  latency: ${rounds} writes from A to B through the Worker (wrangler dev)\n`,
  );
  return withWorker(async (target) => {
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
  });
}
