/**
 * The lake the analyst-across-compactions properties run on: a real `SyncGateway` in process,
 * flushing through the catalogue's Iceberg flush target into a file-system lake with a SQLite
 * catalogue, the `Compactor` and the `MaintenanceRunner` on the same lake, one clock for every
 * commit (a second per call, so every snapshot has its own time). It runs the steps of a random
 * history and records what the gateway logged, what was flushed, and the rows every snapshot of
 * `ns.T` was committed with.
 */
import "@lakesync/parquet/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import {
  createLakeLocation,
  icebergFlushTarget,
  type LakeLocation,
  lakeTables,
  openSqlCatalogue,
  type SqlCatalogue,
} from "@lakesync/catalogue/node";
import { Compactor, MaintenanceRunner } from "@lakesync/compactor";
import {
  HLC_ZERO,
  type HLCTimestamp,
  type RowDelta,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import { SyncGateway } from "@lakesync/gateway";
import {
  type Rows,
  replicaRows,
  type Step,
  TABLES,
  toDelta,
} from "./analyst-compaction-histories.js";

/** The lake namespace the gateway flushes into. */
export const NAMESPACE = ["gw"];
const schemaOf = (table: string): TableSchema => ({
  table,
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "n", type: "number" },
  ],
});

/** A snapshot of `ns.T` as it was committed: its time and the rows it must hold. */
export interface RecordedSnapshot {
  readonly table: string;
  /** `replace` for a compaction's snapshot, else a flush's. */
  readonly operation: string;
  readonly timestampMs: number;
  readonly rows: Rows;
}

/** The lake, the gateway, the compactor and what the history did so far. */
export class LakeHarness {
  /** Every delta pushed. */
  readonly sent: RowDelta[] = [];
  /** Every delta the gateway logged (the ones that changed something), in log order. */
  readonly logged: RowDelta[] = [];
  /** How many of {@link logged} are flushed. */
  flushedCount = 0;
  /** Snapshot id of `ns.T` → what it holds. */
  readonly snapshots = new Map<number, RecordedSnapshot>();
  /** Snapshot ids that expired. */
  readonly expired = new Set<number>();
  #cursor: HLCTimestamp = HLC_ZERO;

  private constructor(
    readonly root: string,
    readonly catalogue: SqlCatalogue,
    readonly location: LakeLocation,
    readonly gateway: SyncGateway,
    readonly compactor: Compactor,
    readonly clock: () => number,
  ) {}

  /** Opens a fresh lake and gateway (`logRetention`: flushed log entries the gateway keeps). */
  static async open(
    compaction: { targetFileBytes: number; minSmallFiles: number },
    logRetention = 2,
  ): Promise<LakeHarness> {
    const root = mkdtempSync(join(tmpdir(), "lakesync-analyst-compaction-"));
    const warehouse = `file://${root}`;
    const adapter = new FileSystemAdapter({ root, sync: false });
    let ms = Date.UTC(2026, 11, 1);
    const clock = () => (ms += 1000);
    const catalogue = unwrapOrThrow(
      await openSqlCatalogue({ warehouse, adapter, sqlite: ":memory:", now: clock }),
    );
    const location = unwrapOrThrow(createLakeLocation(warehouse, adapter));
    const target = icebergFlushTarget({
      catalogue,
      location,
      namespace: NAMESPACE,
      buckets: 2,
      retry: { backoffMs: () => 0 },
      now: clock,
    });
    const gateway = unwrapOrThrow(
      await SyncGateway.open({
        gatewayId: "gw",
        target,
        autoFlush: false,
        logRetention,
        now: () => Date.UTC(2026, 11, 1),
      }),
    );
    for (const table of TABLES) unwrapOrThrow(await gateway.setSchema(schemaOf(table)));
    const compactor = new Compactor({
      catalogue,
      location,
      ...compaction,
      retry: { backoffMs: () => 0 },
      now: clock,
    });
    return new LakeHarness(root, catalogue, location, gateway, compactor, clock);
  }

  /** Pushes `d` and records what the gateway logged. */
  async push(d: RowDelta): Promise<void> {
    this.sent.push(d);
    const ack = unwrapOrThrow(
      await this.gateway.handlePush({ clientId: d.clientId, deltas: [d], lastSeenHlc: HLC_ZERO }),
    );
    if (ack.refused.length > 0) throw new Error(`refused: ${JSON.stringify(ack.refused)}`);
    const page = unwrapOrThrow(this.gateway.readLog(this.#cursor, 10_000));
    this.logged.push(...page.deltas);
    this.#cursor = page.serverHlc;
  }

  /** Flushes the whole buffer and records the new snapshots of every table. */
  async flush(): Promise<void> {
    unwrapOrThrow(await this.gateway.flush());
    this.flushedCount = this.logged.length;
    for (const table of TABLES) await this.#record(table);
  }

  /** Compacts one synced table, or the whole namespace (history included). */
  async compact(table: string): Promise<void> {
    if (table === "namespace") {
      const done = await this.compactor.compactNamespace(NAMESPACE);
      if (!done.ok && done.error.code !== "NO_SUCH_NAMESPACE") throw done.error;
    } else {
      const done = await this.compactor.compact(NAMESPACE, table);
      if (!done.ok && done.error.code !== "COMPACTION_FAILED") throw done.error;
      // A table never flushed cannot be compacted: that is the only failure allowed here.
      if (!done.ok && this.flushed().some((d) => d.table === table)) throw done.error;
    }
    for (const t of TABLES) await this.#record(t);
  }

  /** Expires every snapshot the maintenance guards let go, keeping the newest `retainLast`. */
  async expire(retainLast: number): Promise<void> {
    const runner = new MaintenanceRunner({
      catalogue: this.catalogue,
      location: this.location,
      snapshotMaxAgeMs: 0,
      retainLastSnapshots: retainLast,
      now: this.clock,
    });
    const done = unwrapOrThrow(await runner.expireSnapshots(NAMESPACE));
    for (const expiry of done) for (const id of expiry.expired) this.expired.add(id);
  }

  /** The logged deltas the lake holds. */
  flushed(): RowDelta[] {
    return this.logged.slice(0, this.flushedCount);
  }

  /** Records the current snapshot of `ns.T` with the rows the flushed deltas give. */
  async #record(table: string): Promise<void> {
    const loaded = await this.catalogue.loadTable(lakeTables(NAMESPACE, table).main);
    if (!loaded.ok) return;
    const id = loaded.value.metadata["current-snapshot-id"];
    const snapshot = loaded.value.metadata.snapshots?.find((s) => s["snapshot-id"] === id);
    if (id === undefined || id === null || !snapshot || this.snapshots.has(id)) return;
    this.snapshots.set(id, {
      table,
      operation: snapshot.summary.operation,
      timestampMs: snapshot["timestamp-ms"],
      rows: replicaRows(this.flushed(), table),
    });
  }

  /** Runs one step of a random history. */
  async run(s: Exclude<Step, { kind: "check" }>): Promise<void> {
    if (s.kind === "delta") await this.push(toDelta(s));
    else if (s.kind === "flush") await this.flush();
    else if (s.kind === "compact") await this.compact(s.table);
    else await this.expire(s.retainLast);
  }

  /** Closes the catalogue and deletes the lake directory. */
  async close(): Promise<void> {
    await this.catalogue.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}
