import { appendFile, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deltaId, type HLCTimestamp, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import type { LogEntry } from "@lakesync/gateway";
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
