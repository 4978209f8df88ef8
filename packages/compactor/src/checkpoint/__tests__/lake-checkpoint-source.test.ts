import "@lakesync/parquet/node";
import { delta, RowIndex } from "@lakesync/catalogue/testing";
import {
  type HLCTimestamp,
  type LakeSyncError,
  type Result,
  type RowDelta,
  type RowState,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import { afterEach, describe, expect, it } from "vitest";
import { openTestLake, type TestLake } from "../../__tests__/support/lake.js";
import { watchLocation } from "../../__tests__/support/watched-location.js";
import { Compactor } from "../../compaction/compactor.js";
import { lakeCheckpointSource } from "../lake-checkpoint-source.js";

const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "owner", type: "string" },
  ],
};
const NOTES: TableSchema = { table: "notes", columns: [{ name: "body", type: "string" }] };
const at = (wall: number, counter = 0) => (BigInt(wall) << 16n) | BigInt(counter);

let lake: TestLake;

async function collect(
  chunks: AsyncIterable<Result<CheckpointChunk, LakeSyncError>>,
): Promise<CheckpointChunk[]> {
  const out: CheckpointChunk[] = [];
  for await (const chunk of chunks) out.push(unwrapOrThrow(chunk));
  return out;
}
afterEach(async () => {
  await lake?.close();
});

/** Todos of two owners (one deleted) flushed twice, notes flushed once before them. */
async function flushed(): Promise<{ index: RowIndex; seqs: Map<string, bigint> }> {
  const index = new RowIndex(
    "gw",
    new Map([
      ["todos", TODOS],
      ["notes", NOTES],
    ]),
  );
  const seqs = new Map<string, bigint>();
  const flush = async (table: string) => {
    const batch = index.take(table);
    for (const e of batch?.entries ?? []) seqs.set(table, e.seq);
    await lake.flush(batch);
  };
  index.apply(delta("INSERT", "notes", "n1", "phone", at(5), [{ column: "body", value: "hi" }]));
  await flush("notes");
  for (let i = 0; i < 6; i++)
    index.apply(
      delta("INSERT", "todos", `t${i}`, "phone", at(10, i), [
        { column: "title", value: `todo ${i}` },
        { column: "owner", value: i % 2 ? "alice" : "bob" },
      ]),
    );
  await flush("todos");
  index.apply(delta("DELETE", "todos", "t3", "phone", at(20)));
  await flush("todos");
  unwrapOrThrow(await new Compactor(lake).compactNamespace(["lake"]));
  return { index, seqs };
}

const request = (
  allowed: ((table: string, state: RowState) => boolean) | undefined,
  tables: readonly string[],
  budgetBytes = 4096,
  flushedThrough = 0n as HLCTimestamp,
) => ({ gatewayId: "gw", claims: { sub: "alice" }, allowed, tables, budgetBytes, flushedThrough });

const ownedByAlice = (table: string, state: RowState) =>
  table !== "todos" || state.columns.owner?.value === "alice";

describe("lakeCheckpointSource", () => {
  it("serves the tables the lake holds with the gateway's rule, from the lowest flushed seq", async () => {
    lake = await openTestLake({ buckets: 2 });
    const { seqs } = await flushed();
    const source = lakeCheckpointSource({ ...lake, namespace: () => ["lake"] });
    const judged: string[] = [];
    const served = unwrapOrThrow(
      await source.checkpoint(
        request(
          (table, state) => {
            judged.push(table);
            return ownedByAlice(table, state);
          },
          ["todos", "notes", "tags"],
        ),
      ),
    );
    if (!served) throw new Error("the lake holds todos and notes");
    // `tags` is not in the lake: the gateway serves it from its store.
    expect([...served.tables].sort()).toEqual(["notes", "todos"]);
    expect(served.servedFrom).toBe(seqs.get("notes"));
    expect(judged).toContain("todos");
    const chunks = await collect(served.chunks());
    expect(chunks.map((c) => c.chunkIndex)).toEqual([...Array(served.chunkCount).keys()]);
    const rows = new Set(
      chunks.flatMap((c) =>
        c.payload.kind === "deltas" ? c.payload.deltas.map((d: RowDelta) => d.rowId) : [],
      ),
    );
    // Alice's live todos and the notes; the deleted t3 no longer says whose it was.
    expect([...rows].sort()).toEqual(["n1", "t1", "t5"]);
  });

  it("serves from the gateway's flushed watermark when a table was last written long before it", async () => {
    lake = await openTestLake({ buckets: 2 });
    const { seqs } = await flushed();
    const watermark = seqs.get("todos") ?? 0n;
    expect(watermark).toBeGreaterThan(seqs.get("notes") ?? 0n);
    const source = lakeCheckpointSource({ ...lake, namespace: () => ["lake"] });
    const served = unwrapOrThrow(
      await source.checkpoint(
        request(undefined, ["todos", "notes"], 4096, watermark as HLCTimestamp),
      ),
    );
    expect(served?.servedFrom).toBe(watermark);
  });

  it("streams a checkpoint: the lake is read again chunk by chunk, after the plan counted them", async () => {
    lake = await openTestLake({ buckets: 2 });
    const { index } = await flushed();
    for (let i = 0; i < 200; i++)
      index.apply(
        delta("INSERT", "todos", `more${i}`, "phone", at(30, i), [
          { column: "title", value: `another todo ${i}` },
        ]),
      );
    await lake.flush(index.take("todos"));
    const watched = watchLocation(lake.location);
    const { location } = watched;
    const source = lakeCheckpointSource({ ...lake, location, namespace: () => ["lake"] });
    const served = unwrapOrThrow(await source.checkpoint(request(undefined, ["todos"], 1024)));
    if (!served) throw new Error("the lake holds todos");
    expect(served.chunkCount).toBeGreaterThan(1);
    const planned = watched.reads;
    const stream = served.chunks();
    const first = await stream.next();
    expect(first.done).toBe(false);
    // Only the first bucket's files were read again so far: the rest are read as the client asks.
    expect(watched.reads).toBeGreaterThan(planned);
    expect(watched.reads).toBeLessThan(2 * planned);
    const rest = await collect(stream);
    expect(rest.length + 1).toBe(served.chunkCount);
    expect(watched.reads).toBe(2 * planned);
  });

  it("ends the stream with an error (told to onError) when the lake's files go between the passes", async () => {
    lake = await openTestLake({ buckets: 2 });
    await flushed();
    const watched = watchLocation(lake.location);
    const { location } = watched;
    const errors: string[] = [];
    const source = lakeCheckpointSource({
      ...lake,
      location,
      namespace: () => ["lake"],
      onError: (_id, error) => errors.push(error.code),
    });
    const served = unwrapOrThrow(await source.checkpoint(request(undefined, ["todos"])));
    if (!served) throw new Error("the lake holds todos");
    watched.broken = true;
    const results = [];
    for await (const chunk of served.chunks()) results.push(chunk);
    expect(results.at(-1)?.ok).toBe(false);
    expect(errors).toEqual(["CHECKPOINT_FAILED"]);
  });

  it("has nothing for a gateway the lake does not hold, and reports its failures", async () => {
    lake = await openTestLake();
    const errors: LakeSyncError[] = [];
    const source = lakeCheckpointSource({ ...lake, onError: (_id, error) => errors.push(error) });
    expect(unwrapOrThrow(await source.checkpoint(request(undefined, ["todos"])))).toBeUndefined();
    const failed = await source.checkpoint(request(undefined, ["todos"], 10));
    expect(!failed.ok && failed.error.code).toBe("INVALID_OPTIONS");
    expect(errors.map((e) => e.code)).toEqual(["INVALID_OPTIONS"]);
  });
});
