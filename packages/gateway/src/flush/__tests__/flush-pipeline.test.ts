import "@lakesync/parquet/node";
import {
  Err,
  FlushError,
  HLC_ZERO,
  type LakeSyncError,
  Ok,
  type Result,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { delta, hlcAt, ManualClock, TODOS, testStore } from "../../__tests__/fixtures.js";
import { SyncGateway } from "../../gateway/sync-gateway.js";
import type { FlushBatch, FlushTarget, FlushWritten } from "../flush-target.js";

const NOTES = { table: "notes", columns: [{ name: "body", type: "string" as const }] };

/** A target that records each step and can be told to fail at one of them, per table. */
class StepTarget implements FlushTarget {
  readonly description = "steps";
  readonly steps: string[] = [];
  readonly committed: FlushBatch[] = [];
  readonly rowStates: ReadonlyMap<string, RowState>[] = [];
  failWrite = new Set<string>();
  failCommit = new Set<string>();

  async write(batch: FlushBatch): Promise<Result<FlushWritten, LakeSyncError>> {
    this.steps.push(`write ${batch.table}`);
    if (this.failWrite.has(batch.table)) return Err(new FlushError(`cannot write ${batch.table}`));
    const states = await batch.rowStates(batch.entries.map((e) => e.delta.rowId));
    if (states.ok) this.rowStates.push(states.value);
    const staged = `${batch.table}.file`;
    return Ok({
      paths: [staged],
      tables: [],
      bytes: 1,
      commit: async () => {
        this.steps.push(`commit ${staged}`);
        if (this.failCommit.has(batch.table))
          return Err(new FlushError(`cannot commit ${batch.table}`));
        this.committed.push(batch);
        return Ok(undefined);
      },
    });
  }
}

async function open(target: StepTarget, store = testStore()) {
  const clock = new ManualClock();
  const gateway = unwrapOrThrow(
    await SyncGateway.open({
      gatewayId: "gw",
      store,
      now: clock.now,
      target,
      autoFlush: { maxBytes: 1, onPush: false },
      retry: { baseMs: 1000 },
    }),
  );
  unwrapOrThrow(await gateway.setSchema(TODOS));
  unwrapOrThrow(await gateway.setSchema(NOTES));
  const push = async (table: string, rowId: string, columns: Record<string, string>) =>
    unwrapOrThrow(
      await gateway.handlePush({
        clientId: "client-a",
        deltas: [delta({ table, rowId, hlc: hlcAt(clock, 0, rowId.length), columns })],
        lastSeenHlc: HLC_ZERO,
      }),
    );
  return { gateway, clock, push, store };
}

describe("the flush pipeline", () => {
  it("writes, then commits, each table's batch, then marks it flushed", async () => {
    const target = new StepTarget();
    const { gateway, push, store } = await open(target);
    await push("todos", "t1", { title: "x" });
    await push("notes", "n1", { body: "y" });
    const report = unwrapOrThrow(await gateway.flush());
    expect(target.steps).toEqual([
      "write todos",
      "commit todos.file",
      "write notes",
      "commit notes.file",
    ]);
    expect(report?.deltaCount).toBe(2);
    expect(gateway.stats().bufferedDeltas).toBe(0);
    const stored = unwrapOrThrow(await store.load());
    expect(stored.flushedThrough).toBe(report?.through);
  });

  it("a failing commit step keeps the batch, backs off, and the retry flushes it", async () => {
    const target = new StepTarget();
    target.failCommit.add("todos");
    const { gateway, clock, push, store } = await open(target);
    await push("todos", "t1", { title: "x" });
    const failed = await gateway.tick();
    expect(!failed.ok && failed.error.code).toBe("FLUSH_FAILED");
    expect(gateway.stats()).toMatchObject({
      bufferedDeltas: 1,
      lastFlushError: expect.stringContaining("cannot commit todos"),
    });
    expect(unwrapOrThrow(await store.load()).flushedThrough).toBe(HLC_ZERO);
    target.failCommit.clear();
    expect(unwrapOrThrow(await gateway.tick())).toBeNull(); // backing off
    clock.ms += 1000;
    expect(unwrapOrThrow(await gateway.tick())?.deltaCount).toBe(1);
    expect(target.committed).toHaveLength(1);
    expect(gateway.stats()).toMatchObject({ bufferedDeltas: 0, lastFlushError: undefined });
  });

  it("one table's failure never holds back another's", async () => {
    const target = new StepTarget();
    target.failWrite.add("todos");
    const { gateway, push, store } = await open(target);
    await push("todos", "t1", { title: "x" });
    await push("notes", "n1", { body: "y" });
    const failed = await gateway.flush();
    expect(!failed.ok && failed.error.message).toMatch(/table "todos".*1 other table\(s\) flushed/);
    expect(target.committed.map((b) => b.table)).toEqual(["notes"]);
    expect(gateway.stats().bufferedDeltas).toBe(1);
    // The watermark stays below the todo that is still buffered: a restart re-flushes it.
    expect(unwrapOrThrow(await store.load()).flushedThrough).toBe(HLC_ZERO);
    target.failWrite.clear();
    expect(unwrapOrThrow(await gateway.flush())?.deltaCount).toBe(1);
    expect(gateway.stats().bufferedDeltas).toBe(0);
  });

  it("a batch offers the merged row state of the rows it touched", async () => {
    const target = new StepTarget();
    const { gateway, push } = await open(target);
    await push("todos", "t1", { title: "x" });
    unwrapOrThrow(await gateway.flush());
    const state = target.rowStates[0]?.get("t1");
    expect(state?.columns.title?.value).toBe("x");
  });
});
