/**
 * A new client's initial sync served from the lake through the real Node gateway
 * (`LAKESYNC_CHECKPOINTS=lake`): two clients write, the gateway flushes to its file-system
 * Iceberg lake, the compactor folds the tables, and the gateway's log is trimmed (retention of a
 * single entry). A new client then downloads the checkpoint (the compacted base files' rows,
 * read with the gateway's sync rules, a table last written long before the others included, and
 * a table the lake does not hold yet from the gateway's store) and the gateway's log after it,
 * and ends with the same tables as the others, deleted rows staying deleted; another user is
 * never served a row the rules keep from them.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Compactor, lakeCheckpoint } from "@lakesync/compactor";
import {
  applyToRowState,
  deltaId,
  EMPTY_ROW_STATE,
  HLC,
  type HLCTimestamp,
  materialiseRow,
  type Row,
  type RowDelta,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import { type CheckpointChunk, decodeCheckpointChunk } from "@lakesync/proto";
import { loadConfig, startGateway, TODO_RULES } from "@lakesync/server";
import { TestClient } from "@lakesync/server/testing";
import "@lakesync/parquet/node";
import { afterAll, describe, expect, it } from "vitest";

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A client replica of the todo table: its own clock and merged row states. */
class Replica {
  readonly clock = new HLC();
  readonly states = new Map<string, RowState>();
  cursor = 0n as HLCTimestamp;
  constructor(
    readonly id: string,
    readonly http: TestClient,
  ) {}

  change(
    op: RowDelta["op"],
    rowId: string,
    values: Record<string, Row[string]> = {},
    table = "todos",
  ): RowDelta {
    const hlc = this.clock.now();
    const columns = Object.entries(values).map(([column, value]) => ({ column, value }));
    const d: RowDelta = {
      op,
      table,
      rowId,
      clientId: this.id,
      columns,
      hlc,
      deltaId: deltaId({ clientId: this.id, hlc, table, rowId, columns }),
    };
    this.apply([d]);
    return d;
  }

  apply(deltas: readonly RowDelta[]): void {
    for (const d of deltas) {
      const key = `${d.table}/${d.rowId}`;
      this.states.set(key, applyToRowState(this.states.get(key) ?? EMPTY_ROW_STATE, d));
    }
  }

  async sync(outbox: RowDelta[] = []): Promise<void> {
    if (outbox.length > 0)
      expect((await this.http.push(this.id, outbox.splice(0))).status).toBe(200);
    const pulled = await this.http.pullAll(this.cursor);
    this.apply(pulled.deltas);
    this.cursor = pulled.cursor;
  }

  /** Starts from the gateway's checkpoint (frames of chunks), then pulls from its snapshot. */
  async bootstrap(): Promise<CheckpointChunk[]> {
    const response = await fetch(`${this.http.url}/sync/todos/checkpoint?budget=2048`, {
      headers: { authorization: `Bearer ${this.http.token}` },
    });
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const chunks: CheckpointChunk[] = [];
    for (let at = 0; at < bytes.byteLength; ) {
      const length = view.getUint32(at, false);
      chunks.push(unwrapOrThrow(decodeCheckpointChunk(bytes.subarray(at + 4, at + 4 + length))));
      at += 4 + length;
    }
    for (const chunk of chunks)
      if (chunk.payload.kind === "deltas") this.apply(chunk.payload.deltas);
    this.cursor = BigInt(response.headers.get("x-lakesync-snapshot-hlc") ?? "0") as HLCTimestamp;
    await this.sync();
    return chunks;
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

const todo = (owner: string, title: string, isPrivate: boolean) => ({
  title,
  completed: false,
  owner,
  private: isPrivate,
});

/** The todo app's rules, and two more tables everyone reads and writes. */
const RULES = {
  ...TODO_RULES,
  buckets: [
    ...TODO_RULES.buckets,
    { name: "shared", tables: [{ table: "notes" }, { table: "tags" }] },
  ],
  writes: [...(TODO_RULES.writes ?? []), { table: "notes" }, { table: "tags" }],
};

describe("initial sync from the lake", () => {
  it("a new client gets the compacted lake plus the log after it, after the log was trimmed", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakesync-lake-checkpoint-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const config = unwrapOrThrow(
      loadConfig({
        PORT: "0",
        LAKESYNC_DATA_DIR: dir,
        LAKESYNC_FLUSH_MAX_AGE_MS: "86400000",
        LAKESYNC_ICEBERG_BUCKETS: "2",
        LAKESYNC_CHECKPOINTS: "lake",
        // Compaction runs when the test says so, not on a timer.
        LAKESYNC_COMPACTION: "off",
      }),
    );
    const lines: string[] = [];
    const running = unwrapOrThrow(
      await startGateway(config, {
        server: { gatewayOptions: { logRetention: 1, logRewriteAfterTrimmed: 1 } },
        log: (line) => lines.push(line),
      }),
    );
    cleanups.push(() => running.close());
    const lake = running.target.lake;
    if (!lake) throw new Error("the default configuration flushes to Iceberg tables");
    const url = running.server.url;
    const admin = await TestClient.forUser(url, "ops", true);
    const flush = async () => expect((await admin.admin("/admin/flush/todos")).status).toBe(200);
    for (const table of ["notes", "tags"])
      expect(
        (
          await admin.admin("/admin/schema/todos", {
            table,
            columns: [{ name: "body", type: "string" }],
          })
        ).status,
      ).toBe(200);
    // Set before anything is logged: no cursor expires.
    expect((await admin.admin("/admin/sync-rules/todos", RULES)).status).toBe(200);

    const phone = new Replica("alice-phone", await TestClient.forUser(url, "alice"));
    const laptop = new Replica("bob-laptop", await TestClient.forUser(url, "bob"));
    // Round 1: rows of both users, public and private.
    await phone.sync([
      phone.change("INSERT", "a1", todo("alice", "milk", false)),
      phone.change("INSERT", "a2", todo("alice", "diary", true)),
      phone.change("INSERT", "a3", todo("alice", "eggs", true)),
      phone.change("INSERT", "a4", todo("alice", "jam", false)),
      // Notes are written once, here: their lake snapshot ends long before the todos'.
      phone.change("INSERT", "n1", { body: "hello" }, "notes"),
    ]);
    await laptop.sync([
      laptop.change("INSERT", "b1", todo("bob", "tea", false)),
      laptop.change("INSERT", "b2", todo("bob", "secret", true)),
    ]);
    await flush();
    // Round 2: updates of shared rows by both, and deletes.
    await laptop.sync([laptop.change("UPDATE", "a1", { title: "oat milk" })]);
    await phone.sync([
      phone.change("DELETE", "a3"),
      phone.change("UPDATE", "a4", { completed: true }),
      phone.change("UPDATE", "b1", { title: "green tea" }),
    ]);
    await flush();
    unwrapOrThrow(await new Compactor(lake).compact(["todos"], "todos"));
    // Round 3: after compaction, flushed (the log is trimmed to one entry) and then not flushed.
    await phone.sync([
      phone.change("INSERT", "a5", todo("alice", "bread", true)),
      phone.change("DELETE", "a4"),
    ]);
    await laptop.sync([laptop.change("UPDATE", "a1", { completed: true })]);
    await flush();
    await phone.sync([phone.change("UPDATE", "a2", { title: "journal" })]);
    await laptop.sync([
      laptop.change("INSERT", "b3", todo("bob", "coffee", false)),
      // Tags exist only in the gateway's store so far: the lake does not hold them.
      laptop.change("INSERT", "g1", { body: "home" }, "tags"),
    ]);
    await phone.sync();
    await laptop.sync();

    // The log no longer reaches back to the beginning: a pull from zero must restart.
    const expired = await fetch(`${url}/sync/todos/pull?since=0&max=10&client=t`, {
      headers: { authorization: `Bearer ${phone.http.token}` },
    });
    expect(expired.status).toBe(410);

    // The checkpoint is the lake's: it starts where the lake's todos end (the gateway's flushed
    // watermark), not at the gateway's head, and not where the notes' last flush ended (the log
    // no longer reaches back there).
    const fromLake = unwrapOrThrow(
      await lakeCheckpoint({ ...lake, namespace: ["todos"], gatewayId: "todos" }),
    );
    const through = (table: string) =>
      fromLake.tables.find((t) => t.table === table)?.flushedThrough ?? 0n;
    expect(through("notes")).toBeLessThan(through("todos"));
    const tablet = new Replica("alice-tablet", await TestClient.forUser(url, "alice"));
    const chunks = await tablet.bootstrap();
    expect(chunks.every((c) => c.snapshotHlc === through("todos"))).toBe(true);
    expect(tablet.cursor).toBeGreaterThan(through("todos"));
    expect([...new Set(chunks.map((c) => c.table))].sort()).toEqual(["notes", "tags", "todos"]);
    expect(tablet.rows()).toEqual(phone.rows());
    expect(Object.keys(tablet.rows())).toEqual([
      "notes/n1",
      "tags/g1",
      "todos/a1",
      "todos/a2",
      "todos/a5",
      "todos/b1",
      "todos/b3",
    ]);
    expect(lines).toEqual([]);

    // Bob's new device: only his rows and the public ones, and never alice's private rows.
    const desktop = new Replica("bob-desktop", await TestClient.forUser(url, "bob"));
    const bobChunks = await desktop.bootstrap();
    const served = new Set(
      bobChunks
        .flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []))
        .map((d) => d.rowId),
    );
    expect(served.has("a2")).toBe(false);
    expect(served.has("a5")).toBe(false);
    expect(served.has("b2")).toBe(true);
    expect(desktop.rows()).toEqual(laptop.rows());
    expect(Object.keys(desktop.rows())).toEqual([
      "notes/n1",
      "tags/g1",
      "todos/a1",
      "todos/b1",
      "todos/b2",
      "todos/b3",
    ]);
  }, 120_000);
});
