/**
 * The lake's whole life through the real Node gateway: two clients edit the todo table over many
 * flushes while the gateway's compaction scheduler (wired as `npm start` wires it) compacts the
 * tables and maintenance expires snapshots, the history and orphan files (a crashed write's
 * temporary file included). At the end the Iceberg table equals both clients' tables, compacted
 * tables hold at most one file per bucket, no file a retained snapshot references is missing,
 * and a new client starting from a checkpoint built from the lake reaches the same state.
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import {
  type Catalogue,
  createLakeLocation,
  EntryStatus,
  type LakeLocation,
  openSqlCatalogue,
  planScan,
  readLakeTable,
  readManifestEntries,
  readSnapshotManifests,
} from "@lakesync/catalogue/node";
import { Compactor, DAY_MS, lakeCheckpoint, MaintenanceRunner } from "@lakesync/compactor";
import { fileSystemLister } from "@lakesync/compactor/node";
import {
  applyToRowState,
  deltaId,
  EMPTY_ROW_STATE,
  HLC,
  materialiseRow,
  type Row,
  type RowDelta,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import { createFlushTarget, loadConfig, startLakeMaintenance, startServer } from "@lakesync/server";
import { TestClient } from "@lakesync/server/testing";
import "@lakesync/parquet/node";
import { afterAll, describe, expect, it } from "vitest";

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A client replica: its own clock and the rows it merged, synced over HTTP. */
class Replica {
  readonly clock = new HLC();
  readonly states = new Map<string, RowState>();
  cursor = 0n;
  constructor(
    readonly id: string,
    readonly http: TestClient,
  ) {}

  change(op: RowDelta["op"], rowId: string, values: Record<string, Row[string]> = {}): RowDelta {
    const hlc = this.clock.now();
    const columns = Object.entries(values).map(([column, value]) => ({ column, value }));
    const d: RowDelta = {
      op,
      table: "todos",
      rowId,
      clientId: this.id,
      columns,
      hlc,
      deltaId: deltaId({ clientId: this.id, hlc, table: "todos", rowId, columns }),
    };
    this.apply([d]);
    return d;
  }

  apply(deltas: readonly RowDelta[]): void {
    for (const d of deltas)
      this.states.set(d.rowId, applyToRowState(this.states.get(d.rowId) ?? EMPTY_ROW_STATE, d));
  }

  async sync(outbox: RowDelta[]): Promise<void> {
    const pulled = await this.http.pullAll(this.cursor as never);
    this.apply(pulled.deltas);
    this.cursor = pulled.cursor;
    if (outbox.length > 0)
      expect((await this.http.push(this.id, outbox.splice(0))).status).toBe(200);
    const after = await this.http.pullAll(this.cursor as never);
    this.apply(after.deltas);
    this.cursor = after.cursor;
  }

  rows(): Record<string, Row> {
    const out: Record<string, Row> = {};
    for (const [id, state] of [...this.states].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const row = materialiseRow(state);
      if (row) out[id] = row;
    }
    return out;
  }
}

/** A deterministic pseudo-random sequence (xorshift). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** The live rows of `todos.todos`, without null columns, as `Replica.rows()` shows them. */
async function lakeRows(lake: { catalogue: Catalogue; location: LakeLocation }) {
  const read = unwrapOrThrow(
    await readLakeTable({ ...lake, namespace: ["todos"], table: "todos" }),
  );
  const out: Record<string, Row> = {};
  for (const [id, row] of [...read.rows].sort(([a], [b]) => (a < b ? -1 : 1)))
    out[id] = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
  return out;
}

/** The retained snapshots' files of every table of the namespace that are missing on disk. */
async function missingFiles(lake: { catalogue: Catalogue; location: LakeLocation }, root: string) {
  const missing: string[] = [];
  for (const table of unwrapOrThrow(await lake.catalogue.listTables(["todos"]))) {
    const { metadata, metadataLocation } = unwrapOrThrow(await lake.catalogue.loadTable(table));
    const uris = [metadataLocation];
    for (const snapshot of metadata.snapshots ?? []) {
      uris.push(snapshot["manifest-list"]);
      for (const manifest of unwrapOrThrow(await readSnapshotManifests(lake.location, snapshot))) {
        uris.push(manifest.manifestPath);
        for (const entry of unwrapOrThrow(await readManifestEntries(lake.location, manifest)))
          if (entry.status !== EntryStatus.DELETED) uris.push(entry.dataFile.filePath);
      }
    }
    for (const uri of uris) {
      const key = unwrapOrThrow(lake.location.keyOf(uri));
      if (!existsSync(join(root, ...key.split("/")))) missing.push(uri);
    }
  }
  return missing;
}

describe("the lake's life through the Node gateway", () => {
  it("many flushes, periodic compaction and expiry, two clients: the lake ends equal to the clients, compact and whole", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakesync-lifecycle-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const config = unwrapOrThrow(
      loadConfig({
        PORT: "0",
        LAKESYNC_DATA_DIR: dir,
        LAKESYNC_FLUSH_MAX_AGE_MS: "86400000",
        LAKESYNC_ICEBERG_BUCKETS: "4",
        LAKESYNC_COMPACTION: "on",
        // The timer never fires during the test: the test ticks the scheduler itself.
        LAKESYNC_COMPACTION_INTERVAL_MS: "86400000",
        LAKESYNC_COMPACTION_SMALL_FILES: "6",
        LAKESYNC_COMPACTION_DELETE_FILES: "6",
        LAKESYNC_COMPACTION_TARGET_BYTES: String(1024 * 1024),
        LAKESYNC_MAINTENANCE_INTERVAL_MS: "86400000",
      }),
    );
    expect(config.compaction).toMatchObject({ enabled: true, smallFiles: 6, deleteFiles: 6 });
    const configured = unwrapOrThrow(await createFlushTarget(config));
    cleanups.push(configured.close);
    const lake = configured.lake;
    if (!lake) throw new Error("the default configuration flushes to Iceberg tables");
    const server = unwrapOrThrow(await startServer(config, { target: configured.target, lake }));
    cleanups.push(() => server.close());
    const maintenance = startLakeMaintenance(config, lake);
    if (!maintenance) throw new Error("compaction is on");
    cleanups.push(() => maintenance.stop());
    const lakeDir = join(dir, "lake");
    // Expiry as a scheduled run would do it, with everything old enough to go.
    const expiry = new MaintenanceRunner({
      ...lake,
      snapshotMaxAgeMs: 0,
      retainLastSnapshots: 2,
      orphanMinAgeMs: 0,
      historyRetentionMs: 30 * DAY_MS,
      listFiles: fileSystemLister(lakeDir),
    });

    const phone = new Replica("alice-phone", await TestClient.forUser(server.url, "alice"));
    const laptop = new Replica("alice-laptop", await TestClient.forUser(server.url, "alice"));
    const admin = await TestClient.forUser(server.url, "ops", true);
    const next = random(0x5eed);
    let compactions = 0;
    let expiries = 0;
    let crashed: string | undefined;
    for (let round = 0; round < 36; round++) {
      for (const client of [phone, laptop]) {
        const outbox: RowDelta[] = [];
        for (let i = 0; i < 6; i++) {
          const rowId = `t${Math.floor(next() * 40)}`;
          const roll = next();
          const live = materialiseRow(client.states.get(rowId) ?? EMPTY_ROW_STATE) !== null;
          if (!live)
            outbox.push(
              client.change("INSERT", rowId, {
                title: `${rowId} by ${client.id}`,
                completed: false,
                owner: "alice",
                private: roll < 0.5,
              }),
            );
          else if (roll < 0.15) outbox.push(client.change("DELETE", rowId));
          else
            outbox.push(
              client.change("UPDATE", rowId, {
                ...(roll < 0.6 ? { title: `r${round} ${client.id}` } : { completed: roll < 0.8 }),
              }),
            );
        }
        await client.sync(outbox);
      }
      expect((await admin.admin("/admin/flush/todos")).status).toBe(200);
      if (round % 4 === 3) {
        const tick = unwrapOrThrow(await maintenance.scheduler.tick());
        expect(tick.errors).toEqual([]);
        compactions += tick.compacted.length;
      }
      if (round % 12 === 11) {
        if (round === 11) {
          // A flush killed between writing a temporary file and renaming it into place.
          const data = join(lakeDir, "todos", "todos", "data");
          mkdirSync(data, { recursive: true });
          crashed = join(data, ".lakesync-tmp-deadbeef0001");
          writeFileSync(crashed, "torn");
          const old = new Date(Date.now() - 4 * DAY_MS);
          utimesSync(crashed, old, old);
        }
        const report = unwrapOrThrow(await expiry.run(["todos"]));
        expiries += report.snapshots.reduce((n, s) => n + s.expired.length, 0);
        if (crashed) expect(existsSync(crashed)).toBe(false);
      }
    }
    await phone.sync([]);
    await laptop.sync([]);
    expect(phone.rows()).toEqual(laptop.rows());
    expect(compactions).toBeGreaterThan(0);
    expect(expiries).toBeGreaterThan(0);

    // A last compaction and expiry, then the lake against the clients.
    const finalTick = unwrapOrThrow(await maintenance.scheduler.tick());
    expect(finalTick.errors).toEqual([]);
    unwrapOrThrow(await new Compactor(lake).compact(["todos"], "todos"));
    unwrapOrThrow(await expiry.run(["todos"]));
    expect(await lakeRows(lake)).toEqual(phone.rows());
    const { metadata } = unwrapOrThrow(
      await lake.catalogue.loadTable({ namespace: ["todos"], name: "todos" }),
    );
    const plan = unwrapOrThrow(await planScan(lake.location, metadata));
    expect(plan.deleteFiles).toHaveLength(0);
    expect(plan.dataFiles.length).toBeLessThanOrEqual(4);
    expect(await missingFiles(lake, lakeDir)).toEqual([]);

    // A reader opening the lake as another process would sees the same table.
    const adapter = new FileSystemAdapter({ root: lakeDir });
    const other = {
      catalogue: unwrapOrThrow(
        await openSqlCatalogue({
          warehouse: lake.location.warehouse,
          adapter,
          sqlite: join(dir, "catalogue.sqlite"),
        }),
      ),
      location: unwrapOrThrow(createLakeLocation(lake.location.warehouse, adapter)),
    };
    cleanups.push(() => other.catalogue.close());
    expect(await lakeRows(other)).toEqual(phone.rows());

    // A new client starts from the lake: the checkpoint, then the gateway's log after it.
    const checkpoint = unwrapOrThrow(
      await lakeCheckpoint({ ...lake, namespace: ["todos"], gatewayId: "todos" }),
    );
    const tablet = new Replica("alice-tablet", await TestClient.forUser(server.url, "alice"));
    for (const chunk of checkpoint.chunks)
      if (chunk.payload.kind === "deltas") tablet.apply(chunk.payload.deltas);
    tablet.cursor = checkpoint.servedFrom;
    await tablet.sync([]);
    expect(tablet.rows()).toEqual(phone.rows());
  }, 120_000);
});
