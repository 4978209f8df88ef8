import { appendFile, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  deltaId,
  HLC_ZERO,
  type HLCTimestamp,
  Ok,
  type RowDelta,
  unwrapOrThrow,
} from "@lakesync/core";
import { collectCheckpoint, type LogEntry, SyncGateway } from "@lakesync/gateway";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WalGatewayStore } from "../wal-store.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-wal-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (i: number): LogEntry => {
  const hlc = (BigInt(1_750_000_000_000 + i) << 16n) as HLCTimestamp;
  const columns = [
    { column: "title", value: `todo ${i} ✓` },
    { column: "meta", value: { n: i, tags: ["a"] } },
  ];
  const delta: RowDelta = {
    op: "INSERT",
    table: "todos",
    rowId: `r${i}`,
    clientId: "phone",
    columns,
    hlc,
    deltaId: deltaId({ clientId: "phone", hlc, table: "todos", rowId: `r${i}`, columns }),
  };
  return { seq: (hlc + 7n) as HLCTimestamp, delta };
};

async function reopen() {
  const store = new WalGatewayStore({ dir });
  const state = unwrapOrThrow(await store.load());
  return { store, state };
}

describe("WalGatewayStore", () => {
  it("keeps entries, the flush watermark and metadata across reopening", async () => {
    const { store } = await reopen();
    unwrapOrThrow(await store.append([entry(1), entry(2)]));
    unwrapOrThrow(await store.markFlushed(entry(1).seq));
    unwrapOrThrow(await store.putMeta("sync-rules", '{"version":1}'));
    unwrapOrThrow(await store.append([entry(3)]));
    await store.close();
    const { state } = await reopen();
    expect(state.entries).toEqual([entry(1), entry(2), entry(3)]);
    expect(state.flushedThrough).toBe(entry(1).seq);
    expect(state.meta.get("sync-rules")).toBe('{"version":1}');
  });

  it("tolerates a torn tail: keeps every complete record, drops the partial one, appends cleanly after", async () => {
    const { store } = await reopen();
    unwrapOrThrow(await store.append([entry(1)]));
    unwrapOrThrow(await store.append([entry(2)]));
    await store.close();
    const size = (await readFile(join(dir, "wal.log"))).byteLength;
    await truncate(join(dir, "wal.log"), size - 5);
    const first = await reopen();
    expect(first.state.entries).toEqual([entry(1)]);
    unwrapOrThrow(await first.store.append([entry(3)]));
    await first.store.close();
    const { state } = await reopen();
    expect(state.entries).toEqual([entry(1), entry(3)]);
  });

  it("stops at a corrupted record (checksum mismatch) instead of loading garbage", async () => {
    const { store } = await reopen();
    unwrapOrThrow(await store.append([entry(1)]));
    await store.close();
    await appendFile(join(dir, "wal.log"), new Uint8Array([0, 0, 0, 3, 1, 2, 3, 4, 1, 9, 9, 9]));
    const { state } = await reopen();
    expect(state.entries).toEqual([entry(1)]);
  });

  it("treats a file of random bytes as empty rather than failing to start", async () => {
    await writeFile(
      join(dir, "wal.log"),
      new Uint8Array(Array.from({ length: 100 }, (_, i) => (i * 37) % 256)),
    );
    const { state } = await reopen();
    expect(state.entries).toEqual([]);
  });

  it("refuses writes before load", async () => {
    const store = new WalGatewayStore({ dir });
    const result = await store.append([entry(1)]);
    expect(!result.ok && result.error.code).toBe("STORE_UNAVAILABLE");
  });
});

describe("WalGatewayStore log rewrite", () => {
  it("replaces the log by a snapshot, keeps appending after it, and a reopen sees everything", async () => {
    const { store } = await reopen();
    for (let i = 1; i <= 50; i++) unwrapOrThrow(await store.append([entry(i)]));
    unwrapOrThrow(await store.putMeta("sync-rules", '{"version":1}'));
    const before = (await readFile(join(dir, "wal.log"))).byteLength;
    const rows = [entry(1).delta, entry(2).delta];
    unwrapOrThrow(
      await store.rewrite({
        rows,
        entries: [entry(49), entry(50)],
        horizon: entry(48).seq,
        flushedThrough: entry(48).seq,
        meta: new Map([["sync-rules", '{"version":1}']]),
      }),
    );
    unwrapOrThrow(await store.append([entry(51)]));
    await store.close();
    const after = (await readFile(join(dir, "wal.log"))).byteLength;
    expect(after).toBeLessThan(before / 3);
    const { state } = await reopen();
    expect(state.rows).toEqual(rows);
    expect(state.horizon).toBe(entry(48).seq);
    expect(state.flushedThrough).toBe(entry(48).seq);
    expect(state.entries).toEqual([entry(49), entry(50), entry(51)]);
    expect(state.meta.get("sync-rules")).toBe('{"version":1}');
  });

  it("a gateway rewrites its log after flushing, and restarts from the rewritten log with every row", async () => {
    const objects = new Map<string, Uint8Array>();
    const lake = {
      putObject: async (path: string, data: Uint8Array) => {
        objects.set(path, data);
        return Ok(undefined);
      },
      getObject: async () => Ok(new Uint8Array()),
      listObjects: async () => Ok([]),
    };
    const schema = {
      table: "todos",
      columns: [
        { name: "title", type: "string" as const },
        { name: "meta", type: "json" as const },
      ],
    };
    const open = async () =>
      unwrapOrThrow(
        await SyncGateway.open({
          gatewayId: "g",
          store: new WalGatewayStore({ dir }),
          target: { kind: "lake", adapter: lake, format: "json" },
          autoFlush: false,
          logRetention: 5,
          logRewriteAfterTrimmed: 10,
        }),
      );
    const gateway = await open();
    unwrapOrThrow(await gateway.setSchema(schema));
    const deltas = Array.from({ length: 30 }, (_, i) => entry(i + 1).delta);
    const fresh = deltas.map((d, i) => {
      const hlc = ((BigInt(Date.now()) << 16n) + BigInt(i)) as HLCTimestamp;
      return {
        ...d,
        hlc,
        deltaId: deltaId({
          clientId: d.clientId,
          hlc,
          table: d.table,
          rowId: d.rowId,
          columns: d.columns,
        }),
      };
    });
    unwrapOrThrow(
      await gateway.handlePush({ clientId: "phone", deltas: fresh, lastSeenHlc: HLC_ZERO }),
    );
    unwrapOrThrow(await gateway.flush());
    const head = gateway.head;
    await gateway.close({ flush: false });
    const restarted = await open();
    const chunks = unwrapOrThrow(
      await collectCheckpoint(unwrapOrThrow(await restarted.checkpoint())),
    );
    const rowIds = new Set(
      chunks.flatMap((c) =>
        c.payload.kind === "deltas" ? c.payload.deltas.map((d) => d.rowId) : [],
      ),
    );
    expect(rowIds.size).toBe(30);
    const expired = await restarted.handlePull({ clientId: "x", sinceHlc: HLC_ZERO, maxDeltas: 0 });
    expect(!expired.ok && expired.error.code).toBe("CURSOR_EXPIRED");
    const recent = unwrapOrThrow(
      await restarted.handlePull({ clientId: "x", sinceHlc: restarted.head, maxDeltas: 0 }),
    );
    expect(recent.deltas).toEqual([]);
    expect(restarted.head).toBe(head);
    expect(restarted.schemaOf("todos")).toEqual(schema);
    await restarted.close({ flush: false });
  });
});
