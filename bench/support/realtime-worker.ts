/**
 * @module bench/support/realtime-worker
 * A Worker to measure realtime latency through: real workerd under `wrangler dev` (offline, as
 * the Worker's tests start it), with the todo schema and sync rules installed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TODO_RULES, TODO_SCHEMA } from "@lakesync/server";
import { startWorker, token } from "../../apps/gateway-worker/src/__tests__/wrangler-dev.js";
import type { LatencyTarget } from "./realtime-latency.js";

/** Runs `measure` against a fresh Worker, which is stopped (and its state removed) afterwards. */
export async function withWorker<T>(measure: (target: LatencyTarget) => Promise<T>): Promise<T> {
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
    return await measure({ url: worker.url, gatewayId: "gw-bench", token: await token("alice") });
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
