import { HLC_ZERO, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { collectCheckpoint } from "../checkpoint/build-checkpoint.js";
import { SyncGateway } from "../gateway/sync-gateway.js";
import { delta, hlcAt, ManualClock, OWNER_RULES, TODOS, testStore } from "./fixtures.js";

describe("checkpoints", () => {
  it("cuts chunks by byte budget, numbers them across tables, and filters by sync rules", async () => {
    const clock = new ManualClock();
    const gateway = unwrapOrThrow(
      await SyncGateway.open({
        store: testStore(),
        gatewayId: "g",
        now: clock.now,
        autoFlush: false,
      }),
    );
    unwrapOrThrow(await gateway.setSchema(TODOS));
    const deltas = Array.from({ length: 200 }, (_, i) =>
      delta({
        rowId: `t${i}`,
        hlc: hlcAt(clock, 0, i),
        columns: { title: "x".repeat(100), owner: i % 2 ? "bob" : "alice" },
      }),
    );
    // Written before any rules exist (no write grants to pass), then read under the owner rules.
    unwrapOrThrow(
      await gateway.handlePush({ clientId: "client-a", deltas, lastSeenHlc: HLC_ZERO }),
    );
    unwrapOrThrow(await gateway.setSyncRules(OWNER_RULES));
    const chunks = unwrapOrThrow(
      await collectCheckpoint(
        unwrapOrThrow(await gateway.checkpoint({ sub: "alice" }, { budgetBytes: 4096 })),
      ),
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => c.chunkIndex)).toEqual(chunks.map((_, i) => i));
    expect(
      chunks.every((c) => c.chunkCount === chunks.length && c.snapshotHlc === gateway.head),
    ).toBe(true);
    const rows = chunks.flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []));
    expect(rows).toHaveLength(100);
    expect(
      rows.every((d) => d.columns.some((c) => c.column === "owner" && c.value === "alice")),
    ).toBe(true);
    const tooSmall = await gateway.checkpoint({}, { budgetBytes: 10 });
    expect(tooSmall.ok).toBe(false);
  });
});
