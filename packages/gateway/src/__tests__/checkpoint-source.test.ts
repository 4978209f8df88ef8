import {
  AdapterError,
  applyToRowState,
  EMPTY_ROW_STATE,
  Err,
  HLC_ZERO,
  type HLCTimestamp,
  Ok,
  type RowDelta,
  type RowState,
  rowStateToDeltas,
  type SyncRules,
  unwrapOrThrow,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { describe, expect, it } from "vitest";
import { collectCheckpoint } from "../checkpoint/build-checkpoint.js";
import type {
  CheckpointSource,
  CheckpointSourceRequest,
  SourcedCheckpoint,
} from "../checkpoint/checkpoint-source.js";
import { allowAllWrites } from "../push/push-authoriser.js";
import { delta, FakeLake, hlcAt, ManualClock, openGateway } from "./fixtures.js";
import { Replica } from "./support/replica.js";

const RULES: SyncRules = {
  version: 1,
  buckets: [
    {
      name: "own",
      tables: [
        { table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] },
        { table: "notes" },
      ],
    },
  ],
};
const NOTES = { table: "notes", columns: [{ name: "text", type: "string" }] };

/** A lake reduced to merged row states of `todos` up to `servedFrom`, read with the given rule. */
class FakeSource implements CheckpointSource {
  lake: { states: Map<string, RowState>; servedFrom: HLCTimestamp } | undefined;
  failing = false;
  /** How the chunk stream misbehaves after a good plan: an error, or fewer chunks than announced. */
  streamFault: "error" | "short" | undefined;
  readonly requests: CheckpointSourceRequest[] = [];

  capture(deltas: readonly RowDelta[], servedFrom: HLCTimestamp): void {
    const states = new Map<string, RowState>();
    for (const d of deltas)
      if (d.table === "todos")
        states.set(d.rowId, applyToRowState(states.get(d.rowId) ?? EMPTY_ROW_STATE, d));
    this.lake = { states, servedFrom };
  }

  async checkpoint(request: CheckpointSourceRequest) {
    this.requests.push(request);
    if (this.failing) return Err(new AdapterError("the lake is down"));
    if (!this.lake) return Ok(undefined);
    const deltas: RowDelta[] = [];
    for (const [rowId, state] of this.lake.states)
      if (!request.allowed || request.allowed("todos", state))
        deltas.push(...rowStateToDeltas("todos", rowId, state));
    const chunk: CheckpointChunk = {
      table: "todos",
      payload: { kind: "deltas", deltas },
      chunkIndex: 0,
      chunkCount: 1,
      snapshotHlc: HLC_ZERO,
    };
    const { streamFault } = this;
    const sourced: SourcedCheckpoint = {
      tables: ["todos"],
      chunkCount: 1,
      async *chunks() {
        if (streamFault === "error") yield Err(new AdapterError("a file went missing"));
        else if (streamFault !== "short") yield Ok(chunk);
      },
      servedFrom: this.lake.servedFrom,
    };
    return Ok(sourced);
  }
}

async function setUp(options: { logRetention?: number } = {}) {
  const source = new FakeSource();
  const lake = new FakeLake();
  const clock = new ManualClock();
  const { gateway } = await openGateway(
    {
      checkpointSource: source,
      syncRules: RULES,
      authoriser: allowAllWrites,
      target: { kind: "lake", adapter: lake, format: "json" },
      ...options,
    },
    clock,
  );
  unwrapOrThrow(await gateway.setSchema(NOTES));
  let counter = 0;
  const push = async (...deltas: RowDelta[]) => {
    // One push each: a durable log trims whole group commits.
    for (const d of deltas)
      unwrapOrThrow(
        await gateway.handlePush({ clientId: "client-a", deltas: [d], lastSeenHlc: HLC_ZERO }),
      );
    return deltas;
  };
  const todo = (rowId: string, columns: Record<string, string>, op?: RowDelta["op"]) =>
    delta({ rowId, hlc: hlcAt(clock, 0, ++counter), columns, ...(op ? { op } : {}) });
  const note = (rowId: string, text: string) =>
    delta({ table: "notes", rowId, hlc: hlcAt(clock, 0, ++counter), columns: { text } });
  const first = await push(
    todo("t1", { title: "milk", owner: "alice" }),
    todo("t2", { title: "bread", owner: "bob" }),
    todo("t3", { title: "eggs", owner: "alice" }),
    note("n1", "hello"),
  );
  return { gateway, source, first, push, todo, note };
}

describe("checkpoints from a checkpoint source", () => {
  it("serves the source's tables from it, the others from the store, then the log after servedFrom", async () => {
    const { gateway, source, first, push, todo, note } = await setUp();
    source.capture(first, gateway.head);
    const servedFrom = gateway.head;
    await push(
      todo("t1", { title: "oat milk" }),
      todo("t3", {}, "DELETE"),
      todo("t4", { title: "jam", owner: "alice" }),
      todo("t5", { title: "tea", owner: "bob" }),
      note("n2", "world"),
    );

    const plan = unwrapOrThrow(await gateway.checkpoint({ sub: "alice" }));
    const chunks = unwrapOrThrow(await collectCheckpoint(plan));
    expect(plan.snapshotHlc).toBe(servedFrom);
    expect(chunks.map((c) => [c.table, c.chunkIndex, c.chunkCount, c.snapshotHlc])).toEqual([
      ["todos", 0, 2, servedFrom],
      ["notes", 1, 2, servedFrom],
    ]);
    // The source judged rows by the gateway's own rule: bob's row never left it.
    const served = chunks[0]?.payload.kind === "deltas" ? chunks[0].payload.deltas : [];
    expect([...new Set(served.map((d) => d.rowId))].sort()).toEqual(["t1", "t3"]);
    expect(source.requests[0]?.tables.slice().sort()).toEqual(["notes", "todos"]);

    const fromSource = new Replica(gateway, { sub: "alice" });
    await fromSource.bootstrap();
    await fromSource.pull();
    source.lake = undefined;
    const fromStore = new Replica(gateway, { sub: "alice" });
    await fromStore.bootstrap();
    expect(fromStore.cursor).toBe(gateway.head);
    expect(fromSource.rows()).toEqual(fromStore.rows());
    expect(fromSource.states).toEqual(fromStore.states);
    expect(Object.keys(fromSource.rows()).sort()).toEqual([
      "notes/n1",
      "notes/n2",
      "todos/t1",
      "todos/t4",
    ]);
  });

  it("falls back to the store when the log no longer reaches back to servedFrom", async () => {
    const { gateway, source, first, push, todo } = await setUp({ logRetention: 1 });
    source.capture(first, gateway.head);
    await push(todo("t4", { title: "jam", owner: "alice" }), todo("t5", { title: "x" }));
    unwrapOrThrow(await gateway.flush());
    const plan = unwrapOrThrow(await gateway.checkpoint({ sub: "alice" }));
    expect(plan.snapshotHlc).toBe(gateway.head);
    const replica = new Replica(gateway, { sub: "alice" });
    await replica.bootstrap();
    expect(Object.keys(replica.rows()).sort()).toEqual([
      "notes/n1",
      "todos/t1",
      "todos/t3",
      "todos/t4",
    ]);
  });

  it("falls back to the store when the source fails or has nothing", async () => {
    const { gateway, source } = await setUp();
    const empty = unwrapOrThrow(await gateway.checkpoint({ sub: "alice" }));
    expect(empty.snapshotHlc).toBe(gateway.head);
    source.capture([], gateway.head);
    source.failing = true;
    const failed = unwrapOrThrow(await gateway.checkpoint({ sub: "alice" }));
    expect(failed.snapshotHlc).toBe(gateway.head);
    expect(
      unwrapOrThrow(await collectCheckpoint(failed))
        .map((c) => c.table)
        .sort(),
    ).toEqual(["notes", "todos"]);
  });

  it("ends the stream with an error when the source cannot deliver what it planned", async () => {
    const { gateway, source, first } = await setUp();
    source.capture(first, gateway.head);
    for (const fault of ["error", "short"] as const) {
      source.streamFault = fault;
      const plan = unwrapOrThrow(await gateway.checkpoint({ sub: "alice" }));
      const results = [];
      for await (const chunk of plan.chunks()) results.push(chunk);
      // Nothing after the failure: a client never takes a partial checkpoint for a whole one.
      expect(results.map((r) => r.ok)).toEqual([false]);
      const failed = results[0];
      expect(failed && !failed.ok && failed.error.message).toMatch(
        fault === "error" ? /missing/ : /did not send the 1 chunks/,
      );
    }
  });
});
