import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HLC_ZERO, unwrapOrThrow } from "@lakesync/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { openServerLake } from "../flush-target.js";
import { lakeCheckpointOptions } from "../lake-checkpoints.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-lake-checkpoints-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = (env: Record<string, string> = {}) =>
  loadConfig({ PORT: "0", LAKESYNC_DATA_DIR: dir, ...env });

describe("LAKESYNC_CHECKPOINTS", () => {
  it("is store by default, lake on request, and nothing else", () => {
    expect(unwrapOrThrow(config()).compaction?.checkpoints).toBe("store");
    expect(unwrapOrThrow(config({ LAKESYNC_CHECKPOINTS: "lake" })).compaction?.checkpoints).toBe(
      "lake",
    );
    const bad = config({ LAKESYNC_CHECKPOINTS: "memory" });
    expect(!bad.ok && bad.error.message).toMatch(/LAKESYNC_CHECKPOINTS must be lake or store/);
  });

  it("gives gateways a checkpoint source over the lake only when set to lake", async () => {
    const lakeConfig = unwrapOrThrow(config({ LAKESYNC_CHECKPOINTS: "lake" }));
    const lake = unwrapOrThrow(await openServerLake(lakeConfig));
    try {
      expect(lakeCheckpointOptions(unwrapOrThrow(config()), lake)).toEqual({});
      const { checkpointSource } = lakeCheckpointOptions(lakeConfig, lake);
      if (!checkpointSource) throw new Error("LAKESYNC_CHECKPOINTS=lake gives a source");
      // An empty lake holds none of the gateway's tables: the store serves them.
      const answer = await checkpointSource.checkpoint({
        gatewayId: "todos",
        claims: {},
        allowed: undefined,
        tables: ["todos"],
        flushedThrough: HLC_ZERO,
        budgetBytes: 4096,
      });
      expect(unwrapOrThrow(answer)).toBeUndefined();
    } finally {
      await lake.close();
    }
  });
});
