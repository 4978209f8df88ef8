import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deltaId, HLC_ZERO, type HLCTimestamp, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { SyncGateway } from "@lakesync/gateway";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gatewayStoreConfig, openGatewayStore } from "../gateway-store.js";
import { WalGatewayStore } from "../wal-store.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-store-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SCHEMA = { table: "todos", columns: [{ name: "title", type: "string" as const }] };

function todo(i: number, title: string): RowDelta {
  const hlc = (BigInt(Date.now() + i) << 16n) as HLCTimestamp;
  const columns = [{ column: "title", value: title }];
  const rowId = `t${i}`;
  return {
    op: "INSERT",
    table: "todos",
    rowId,
    clientId: "phone",
    columns,
    hlc,
    deltaId: deltaId({ clientId: "phone", hlc, table: "todos", rowId, columns }),
  };
}

const pullAll = async (gateway: SyncGateway) =>
  unwrapOrThrow(await gateway.handlePull({ clientId: "r", sinceHlc: HLC_ZERO, maxDeltas: 0 }))
    .deltas;

describe("each gateway's SQLite store", () => {
  it("moves a write-ahead log of an earlier version into the store once, keeping everything", async () => {
    const old = unwrapOrThrow(
      await SyncGateway.open({
        gatewayId: "todos",
        store: new WalGatewayStore({ dir }),
        autoFlush: false,
      }),
    );
    unwrapOrThrow(await old.setSchema(SCHEMA));
    const deltas = [todo(1, "one"), todo(2, "two"), todo(3, "three")];
    unwrapOrThrow(await old.handlePush({ clientId: "phone", deltas, lastSeenHlc: HLC_ZERO }));
    const before = await pullAll(old);
    unwrapOrThrow(await old.close({ flush: false }));

    const options = { durability: "full" as const, cacheRows: 100 };
    const store = unwrapOrThrow(await openGatewayStore(dir, options));
    expect(existsSync(join(dir, "wal.log"))).toBe(false);
    expect(existsSync(join(dir, "wal.log.migrated"))).toBe(true);
    const moved = unwrapOrThrow(
      await SyncGateway.open({ gatewayId: "todos", store, autoFlush: false }),
    );
    expect(await pullAll(moved)).toEqual(before);
    expect(moved.schemaOf("todos")).toEqual(SCHEMA);
    expect(moved.stats()).toMatchObject({ rows: 3, logEntries: 3, bufferedDeltas: 3 });
    unwrapOrThrow(await moved.close({ flush: false }));

    const again = unwrapOrThrow(
      await SyncGateway.open({
        gatewayId: "todos",
        store: unwrapOrThrow(await openGatewayStore(dir, options)),
        autoFlush: false,
      }),
    );
    expect(again.stats()).toMatchObject({ rows: 3, logEntries: 3 });
    unwrapOrThrow(await again.close({ flush: false }));
  });

  it("reads its durability and row cache from the configuration, refusing nonsense", () => {
    const pick = (values: Record<string, string>) => (name: string) => values[name];
    expect(unwrapOrThrow(gatewayStoreConfig(pick({})))).toEqual({
      durability: "full",
      cacheRows: 20_000,
    });
    expect(
      unwrapOrThrow(
        gatewayStoreConfig(pick({ LAKESYNC_DURABILITY: "normal", LAKESYNC_ROW_CACHE: "500" })),
      ),
    ).toEqual({ durability: "normal", cacheRows: 500 });
    const bad = gatewayStoreConfig(pick({ LAKESYNC_DURABILITY: "yolo" }));
    expect(!bad.ok && bad.error.message).toMatch(/LAKESYNC_DURABILITY must be full or normal/);
    const small = gatewayStoreConfig(pick({ LAKESYNC_ROW_CACHE: "5" }));
    expect(!small.ok && small.error.code).toBe("INVALID_CONFIG");
  });
});
