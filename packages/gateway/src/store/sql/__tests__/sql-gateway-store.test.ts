import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HLC_ZERO, type HLCTimestamp, type RowDelta, unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import {
  delta,
  FakeLake,
  hlcAt,
  ManualClock,
  pullAll,
  TODOS,
} from "../../../__tests__/fixtures.js";
import { collectCheckpoint } from "../../../checkpoint/build-checkpoint.js";
import { SyncGateway } from "../../../gateway/sync-gateway.js";
import { openNodeSqlite } from "../../../node/node-sqlite-driver.js";
import { encodeDeltaChunk, encodeLogBatch } from "../../batch-codec.js";
import { MemoryGatewayStore } from "../../memory-store.js";
import { importReplayed } from "../legacy-layout.js";
import type { SqlDriver } from "../sql-driver.js";
import { SqlGatewayStore } from "../sql-gateway-store.js";

const file = () => join(mkdtempSync(join(tmpdir(), "lakesync-sql-")), "store.sqlite");

async function open(store: SqlGatewayStore | MemoryGatewayStore, clock: ManualClock, extra = {}) {
  const gateway = unwrapOrThrow(
    await SyncGateway.open({ gatewayId: "gw", store, now: clock.now, autoFlush: false, ...extra }),
  );
  if (!gateway.schemaOf("todos")) unwrapOrThrow(await gateway.setSchema(TODOS));
  return gateway;
}

/** Pushes `deltas` as client-a, failing the test on an error. */
async function push(gateway: SyncGateway, deltas: RowDelta[]) {
  return unwrapOrThrow(
    await gateway.handlePush({ clientId: "client-a", deltas, lastSeenHlc: HLC_ZERO }),
  );
}

function todos(clock: ManualClock, from: number, count: number, title = "x"): RowDelta[] {
  return Array.from({ length: count }, (_, i) =>
    delta({ rowId: `t${from + i}`, hlc: hlcAt(clock, 0, from + i), columns: { title } }),
  );
}

describe("SqlGatewayStore", () => {
  it("keeps at most its cache of row states in memory while serving every row", async () => {
    const clock = new ManualClock();
    const store = new SqlGatewayStore(() => openNodeSqlite(file()), { cacheRows: 50 });
    const gateway = await open(store, clock);
    for (let i = 0; i < 2_000; i += 500) await push(gateway, todos(clock, i, 500));
    expect(store.cachedRows).toBeLessThanOrEqual(50);
    expect(gateway.stats().rows).toBe(2_000);
    const edit = delta({
      op: "UPDATE",
      rowId: "t7",
      hlc: hlcAt(clock, 1),
      columns: { title: "y" },
    });
    await push(gateway, [edit]);
    const rows = new Map<string, string>();
    for (const chunk of unwrapOrThrow(
      await collectCheckpoint(unwrapOrThrow(await gateway.checkpoint({}, { budgetBytes: 8_192 }))),
    ))
      if (chunk.payload.kind === "deltas")
        for (const d of chunk.payload.deltas)
          rows.set(d.rowId, String(d.columns.find((c) => c.column === "title")?.value));
    expect(rows.size).toBe(2_000);
    expect(rows.get("t7")).toBe("y");
    expect(store.cachedRows).toBeLessThanOrEqual(50);
  });

  it("after a restart serves the same rows, log and unflushed entries, and flushes them once", async () => {
    const clock = new ManualClock();
    const path = file();
    const lake = new FakeLake();
    const target = { kind: "lake" as const, adapter: lake, format: "json" as const };
    const store = new SqlGatewayStore(() => openNodeSqlite(path), { cacheRows: 4 });
    const first = await open(store, clock, { target });
    for (let i = 0; i < 30; i += 10) await push(first, todos(clock, i, 10));
    const before = await pullAll(first);
    unwrapOrThrow(await first.close({ flush: false }));
    const again = await open(new SqlGatewayStore(() => openNodeSqlite(path)), clock, { target });
    expect(again.stats()).toMatchObject({ rows: 30, logEntries: 30, bufferedDeltas: 30 });
    expect((await pullAll(again)).deltas).toEqual(before.deltas);
    const flushed = unwrapOrThrow(await again.flush());
    expect(flushed?.deltaCount).toBe(30);
    expect(again.stats().bufferedDeltas).toBe(0);
    unwrapOrThrow(await again.close());
    const third = await open(new SqlGatewayStore(() => openNodeSqlite(path)), clock, { target });
    expect(third.stats().bufferedDeltas).toBe(0);
    expect(unwrapOrThrow(await third.flush())).toBeNull();
  });

  it("a group commit the database refuses leaves nothing behind (one transaction)", async () => {
    const clock = new ManualClock();
    const path = file();
    let failStates = false;
    const opener = () => {
      const sql = unwrapOrThrow(openNodeSqlite(path));
      const failing: SqlDriver = {
        exec: (text, ...params) => {
          if (failStates && text.includes("INTO lakesync_row_states")) throw new Error("disk full");
          return sql.exec(text, ...params);
        },
        transaction: (work) => sql.transaction(work),
        close: () => sql.close?.(),
      };
      return { ok: true as const, value: failing };
    };
    const store = new SqlGatewayStore(opener);
    const gateway = await open(store, clock);
    await push(gateway, todos(clock, 0, 3));
    failStates = true;
    const refused = await gateway.handlePush({
      clientId: "client-a",
      deltas: todos(clock, 3, 3),
      lastSeenHlc: HLC_ZERO,
    });
    expect(!refused.ok && refused.error.code).toBe("STORE_UNAVAILABLE");
    failStates = false;
    unwrapOrThrow(await gateway.close({ flush: false }));
    const again = await open(new SqlGatewayStore(() => openNodeSqlite(path)), clock);
    expect(again.stats()).toMatchObject({ rows: 3, logEntries: 3 });
    expect((await pullAll(again)).deltas.map((d) => d.rowId)).toEqual(["t0", "t1", "t2"]);
  });

  it("trims whole flushed batches beyond the retention, and the horizon survives a restart", async () => {
    const clock = new ManualClock();
    const path = file();
    const target = { kind: "lake" as const, adapter: new FakeLake(), format: "json" as const };
    const gateway = await open(new SqlGatewayStore(() => openNodeSqlite(path)), clock, {
      target,
      logRetention: 10,
    });
    for (let i = 0; i < 40; i += 5) await push(gateway, todos(clock, i, 5));
    unwrapOrThrow(await gateway.flush());
    expect(gateway.stats().logEntries).toBe(10);
    const horizon = (await gateway.handlePull({ clientId: "r", sinceHlc: HLC_ZERO, maxDeltas: 0 }))
      .ok;
    expect(horizon).toBe(false);
    unwrapOrThrow(await gateway.close());
    const again = await open(new SqlGatewayStore(() => openNodeSqlite(path)), clock, { target });
    expect(again.stats().logEntries).toBe(10);
    const expired = await again.handlePull({ clientId: "r", sinceHlc: HLC_ZERO, maxDeltas: 0 });
    expect(!expired.ok && expired.error.code).toBe("CURSOR_EXPIRED");
    const rows = unwrapOrThrow(
      await collectCheckpoint(unwrapOrThrow(await again.checkpoint())),
    ).flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []));
    expect(new Set(rows.map((d) => d.rowId)).size).toBe(40);
  });
});

describe("moving older stores into the SQL layout", () => {
  it("imports what a replaying store holds (log, merged rows, documents, watermark, horizon)", async () => {
    const clock = new ManualClock();
    const memory = new MemoryGatewayStore();
    const old = await open(memory, clock);
    await push(old, todos(clock, 0, 5));
    const stored = unwrapOrThrow(await memory.load());
    const sql = unwrapOrThrow(openNodeSqlite(file()));
    const store = new SqlGatewayStore(sql);
    unwrapOrThrow(await store.load());
    unwrapOrThrow(importReplayed(sql, stored));
    const moved = await open(store, clock);
    expect((await pullAll(moved)).deltas).toEqual((await pullAll(old)).deltas);
    expect(moved.schemaOf("todos")).toEqual(old.schemaOf("todos"));
    expect(moved.stats()).toMatchObject({ rows: 5, logEntries: 5, bufferedDeltas: 5 });
  });

  it("upgrades the Durable Object's previous layout: merged rows as delta chunks, batches without bounds", async () => {
    const clock = new ManualClock();
    const sql = unwrapOrThrow(openNodeSqlite(file()));
    sql.exec(
      "CREATE TABLE lakesync_batches (id INTEGER PRIMARY KEY AUTOINCREMENT, seqs BLOB NOT NULL, deltas BLOB NOT NULL, views BLOB)",
    );
    sql.exec("CREATE TABLE lakesync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    sql.exec(
      "CREATE TABLE lakesync_rows (id INTEGER PRIMARY KEY AUTOINCREMENT, deltas BLOB NOT NULL)",
    );
    const merged = todos(clock, 0, 3, "old");
    sql.exec(
      "INSERT INTO lakesync_rows (deltas) VALUES (?)",
      unwrapOrThrow(encodeDeltaChunk(merged)),
    );
    const later = todos(clock, 2, 3, "new").map((d, i) => ({
      seq: hlcAt(clock, 5, i) as bigint as HLCTimestamp,
      delta: { ...d, hlc: hlcAt(clock, 5, i) },
    }));
    const batch = unwrapOrThrow(encodeLogBatch(later));
    sql.exec("INSERT INTO lakesync_batches (seqs, deltas) VALUES (?, ?)", batch.seqs, batch.deltas);
    sql.exec(
      "INSERT INTO lakesync_meta (key, value) VALUES ('flushed-through', ?)",
      String(later[0]?.seq),
    );
    const gateway = await open(new SqlGatewayStore(sql), clock);
    expect(gateway.stats()).toMatchObject({ rows: 5, logEntries: 3, bufferedDeltas: 2 });
    const rows = unwrapOrThrow(
      await collectCheckpoint(unwrapOrThrow(await gateway.checkpoint())),
    ).flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []));
    const titles = new Map(rows.map((d) => [d.rowId, d.columns[0]?.value]));
    expect(Object.fromEntries(titles)).toEqual({
      t0: "old",
      t1: "old",
      t2: "new",
      t3: "new",
      t4: "new",
    });
    expect(sql.exec("SELECT name FROM sqlite_master WHERE name = 'lakesync_rows'")).toEqual([]);
  });
});
