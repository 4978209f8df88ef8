/**
 * Two clients (plain core + proto code over HTTP) sync through the real Node gateway, and the
 * gateway's flushes land in the file-system lake, in S3 (s3rver) and in PostgreSQL.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresAdapter, S3Adapter } from "@lakesync/adapter/node";
import { available, freshNamespace, PG_URL, startLocalS3 } from "@lakesync/adapter/testing/node";
import {
  applyToRowState,
  compareWrites,
  deltaId,
  EMPTY_ROW_STATE,
  HLC,
  materialiseRow,
  type Row,
  type RowDelta,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import { readParquetToDeltas } from "@lakesync/parquet/node";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient } from "../../apps/gateway-server/src/__tests__/http-client.js";
import { loadConfig } from "../../apps/gateway-server/src/config.js";
import { TODO_SCHEMA } from "../../apps/gateway-server/src/dev-mode.js";
import { createFlushTarget } from "../../apps/gateway-server/src/flush-target.js";
import { type RunningServer, startServer } from "../../apps/gateway-server/src/server.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "lakesync-it-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(
  env: Record<string, string>,
  target?: Parameters<typeof startServer>[1],
): Promise<RunningServer> {
  const config = unwrapOrThrow(
    loadConfig({ PORT: "0", LAKESYNC_FLUSH_MAX_AGE_MS: "86400000", ...env }),
  );
  const options = target ?? { target: createFlushTarget(config).target };
  const server = unwrapOrThrow(await startServer(config, options));
  cleanups.push(() => server.close());
  return server;
}

/** A client replica: its own clock, and the rows it has merged. */
class Replica {
  readonly clock = new HLC();
  readonly states = new Map<string, RowState>();
  cursor = 0n;
  constructor(
    readonly id: string,
    readonly http: TestClient,
  ) {}

  change(op: RowDelta["op"], rowId: string, values: Record<string, unknown> = {}): RowDelta {
    const hlc = this.clock.now();
    const columns = Object.entries(values).map(([column, value]) => ({
      column,
      value: value as Row[string],
    }));
    const delta: RowDelta = {
      op,
      table: "todos",
      rowId,
      clientId: this.id,
      columns,
      hlc,
      deltaId: deltaId({ clientId: this.id, hlc, table: "todos", rowId, columns }),
    };
    this.apply([delta]);
    return delta;
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

  rows(): Record<string, Row | null> {
    return Object.fromEntries([...this.states].map(([id, s]) => [id, materialiseRow(s)]));
  }
}

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("two clients through the Node gateway", () => {
  it("converge per column (different columns merge, the same column has one winner), then flush to the file-system lake", async () => {
    const dir = await dataDir();
    const server = await start({ LAKESYNC_DATA_DIR: dir });
    const phone = new Replica("alice-phone", await TestClient.forUser(server.url, "alice"));
    const laptop = new Replica("alice-laptop", await TestClient.forUser(server.url, "alice"));
    const admin = await TestClient.forUser(server.url, "ops", true);

    const outboxPhone = [
      phone.change("INSERT", "t1", {
        title: "milk",
        completed: false,
        owner: "alice",
        private: true,
      }),
    ];
    await phone.sync(outboxPhone);
    await laptop.sync([]);
    expect(laptop.rows()).toEqual(phone.rows());

    // Offline edits on both: different columns, and the same column.
    const a = [
      phone.change("UPDATE", "t1", { completed: true }),
      phone.change("UPDATE", "t1", { title: "oat milk" }),
    ];
    const b = [laptop.change("UPDATE", "t1", { title: "whole milk" })];
    await phone.sync([...a]);
    await laptop.sync([...b]);
    await phone.sync([]);
    expect(phone.rows()).toEqual(laptop.rows());
    const [, phoneTitle] = a;
    const [laptopTitle] = b;
    const winner =
      phoneTitle && laptopTitle && compareWrites(phoneTitle, laptopTitle) > 0
        ? "oat milk"
        : "whole milk";
    expect(phone.rows().t1).toMatchObject({ completed: true, title: winner });

    expect((await admin.admin("/admin/flush/todos")).status).toBe(200);
    const files = await filesUnder(join(dir, "lake"));
    expect(files).toHaveLength(1);
    const flushed = unwrapOrThrow(
      readParquetToDeltas(new Uint8Array(await readFile(files[0] ?? ""))),
    );
    // A superseded delta (the losing title, when it arrived last) is acknowledged but not logged.
    const expected = [
      "alice-phone",
      "alice-phone",
      "alice-phone",
      ...(winner === "whole milk" ? ["alice-laptop"] : []),
    ];
    expect(flushed.map((d) => d.clientId)).toEqual(expected);
  });

  it("flushes Parquet into an S3 bucket (s3rver)", async () => {
    const s3 = await startLocalS3();
    cleanups.push(() => s3.stop());
    const server = await start({
      LAKESYNC_DATA_DIR: await dataDir(),
      LAKESYNC_LAKE: "s3",
      LAKESYNC_S3_BUCKET: s3.bucket,
      LAKESYNC_S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    });
    const bob = new Replica("bob-phone", await TestClient.forUser(server.url, "bob", true));
    await bob.sync([
      bob.change("INSERT", "b1", {
        title: "bread",
        completed: false,
        owner: "bob",
        private: false,
      }),
    ]);
    expect((await bob.http.admin("/admin/flush/todos")).status).toBe(200);
    const lake = new S3Adapter({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      credentials: s3.credentials,
      listApi: "v1",
    });
    const listed = unwrapOrThrow(await lake.listObjects("deltas/"));
    expect(listed).toHaveLength(1);
    const bytes = unwrapOrThrow(await lake.getObject(listed[0]?.key ?? ""));
    expect(unwrapOrThrow(readParquetToDeltas(bytes)).map((d) => d.rowId)).toEqual(["b1"]);
  });

  it("flushes column-level upserts into PostgreSQL, giving the merged rows", async () => {
    if (!(await available("postgres"))) return;
    const ns = await freshNamespace("postgres");
    cleanups.push(ns.drop);
    const adapter = new PostgresAdapter({ connectionString: PG_URL, schema: ns.name });
    cleanups.push(() => adapter.close());
    const server = await start(
      { LAKESYNC_DATA_DIR: await dataDir() },
      { target: { kind: "database", adapter } },
    );
    const phone = new Replica("carol-phone", await TestClient.forUser(server.url, "carol", true));
    const laptop = new Replica("carol-laptop", await TestClient.forUser(server.url, "carol"));
    await phone.sync([
      phone.change("INSERT", "c1", {
        title: "tea",
        completed: false,
        owner: "carol",
        private: true,
      }),
    ]);
    await laptop.sync([]);
    await laptop.sync([laptop.change("UPDATE", "c1", { completed: true })]);
    await phone.sync([
      phone.change("UPDATE", "c1", { title: "green tea" }),
      phone.change("INSERT", "c2", { title: "gone", owner: "carol" }),
    ]);
    await phone.sync([phone.change("DELETE", "c2")]);
    expect((await phone.http.admin("/admin/flush/todos")).status).toBe(200);
    unwrapOrThrow(await adapter.ensureTable(TODO_SCHEMA));
    const rows = unwrapOrThrow(await adapter.getRows("todos"));
    expect(rows).toEqual([
      {
        rowId: "c1",
        values: { title: "green tea", completed: true, owner: "carol", private: true },
      },
    ]);
  });
});
