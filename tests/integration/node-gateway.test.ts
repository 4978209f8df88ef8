/**
 * Two clients (plain core + proto code over HTTP) sync through the real Node gateway, and the
 * gateway's flushes become Iceberg tables in the file-system lake, in S3 (s3rver) and with a
 * PostgreSQL catalogue, or column upserts in PostgreSQL.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter, PostgresAdapter, S3Adapter } from "@lakesync/adapter/node";
import { available, freshNamespace, PG_URL, startLocalS3 } from "@lakesync/adapter/testing/node";
import {
  type Catalogue,
  createLakeLocation,
  icebergFlushTarget,
  type LakeLocation,
  openSqlCatalogue,
  RestCatalogue,
  readLakeHistory,
  readLakeTable,
} from "@lakesync/catalogue/node";
import {
  applyToRowState,
  compareWrites,
  deltaId,
  EMPTY_ROW_STATE,
  HLC,
  type LakeSyncError,
  materialiseRow,
  Ok,
  type Result,
  type Row,
  type RowDelta,
  type RowState,
  unwrapOrThrow,
} from "@lakesync/core";
import {
  createFlushTarget,
  loadConfig,
  type RunningServer,
  startServer,
  TODO_SCHEMA,
} from "@lakesync/server";
import { TestClient } from "@lakesync/server/testing";
import "@lakesync/parquet/node";
import { Client as pgClient } from "pg";
import { afterEach, describe, expect, it } from "vitest";

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
  let options = target;
  if (!options) {
    const configured = unwrapOrThrow(await createFlushTarget(config));
    cleanups.push(configured.close);
    options = { target: configured.target, ...(configured.lake ? { lake: configured.lake } : {}) };
  }
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

/** Opens the lake's catalogue as another process would. */
async function openLake(
  warehouse: string,
  adapter: FileSystemAdapter | S3Adapter,
  catalogue: { sqlite: string } | { postgres: { connectionString: string; schema: string } },
): Promise<Result<{ catalogue: Catalogue; location: LakeLocation }, LakeSyncError>> {
  const location = createLakeLocation(warehouse, adapter);
  if (!location.ok) return location;
  const opened = await openSqlCatalogue({ warehouse, adapter, ...catalogue });
  return opened.ok ? Ok({ catalogue: opened.value, location: location.value }) : opened;
}

/** The live rows of `todos.todos`, as the clients' `rows()` shows them. */
async function lakeRows(lake: { catalogue: Catalogue; location: LakeLocation }) {
  const read = unwrapOrThrow(
    await readLakeTable({ ...lake, namespace: ["todos"], table: "todos" }),
  );
  const out: Record<string, Row | null> = {};
  for (const [id, row] of [...read.rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const values: Record<string, Row[string]> = {};
    for (const [k, v] of Object.entries(row)) if (v !== null) values[k] = v;
    out[id] = values;
  }
  return out;
}

describe("two clients through the Node gateway", () => {
  it("converge per column (different columns merge, the same column has one winner), then flush to Iceberg tables in the file-system lake", async () => {
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
    // The lake holds Iceberg tables: todos.todos equals the clients' rows, and the history
    // keeps every logged delta (a superseded one, the losing title when it arrived last, was
    // acknowledged but never logged).
    const lake = unwrapOrThrow(
      await openLake(
        `file://${join(dir, "lake")}`,
        new FileSystemAdapter({ root: join(dir, "lake") }),
        { sqlite: join(dir, "catalogue.sqlite") },
      ),
    );
    cleanups.push(() => lake.catalogue.close());
    expect(await lakeRows(lake)).toEqual(phone.rows());
    const history = unwrapOrThrow(
      await readLakeHistory({ ...lake, namespace: ["todos"], table: "todos" }),
    );
    expect(history.map((d) => d.delta.clientId).sort()).toEqual(
      [
        "alice-phone",
        "alice-phone",
        "alice-phone",
        ...(winner === "whole milk" ? ["alice-laptop"] : []),
      ].sort(),
    );
    // The REST catalogue served at /iceberg sees the same tables.
    const rest = new RestCatalogue({ uri: `${server.url}/iceberg`, token: admin.token });
    const tables = unwrapOrThrow(await rest.listTables(["todos"]));
    expect(tables.map((t) => t.name).sort()).toEqual([
      "_lakesync_history",
      "_lakesync_state_todos",
      "todos",
    ]);
    expect(await lakeRows({ catalogue: rest, location: lake.location })).toEqual(phone.rows());
    // Without a token the catalogue answers 401.
    expect((await fetch(`${server.url}/iceberg/v1/config`)).status).toBe(401);
  });

  it("keeps plain delta files when asked for the JSON envelope", async () => {
    const dir = await dataDir();
    const server = await start({ LAKESYNC_DATA_DIR: dir, LAKESYNC_FLUSH_FORMAT: "json" });
    const bob = new Replica("bob-phone", await TestClient.forUser(server.url, "bob", true));
    await bob.sync([bob.change("INSERT", "b1", { title: "bread", owner: "bob", private: false })]);
    expect((await bob.http.admin("/admin/flush/todos")).status).toBe(200);
    const files = await filesUnder(join(dir, "lake"));
    expect(files).toHaveLength(1);
    expect(JSON.parse(await readFile(files[0] ?? "", "utf8"))).toMatchObject({
      version: 1,
      deltaCount: 1,
    });
  });

  it("commits Iceberg tables into an S3 bucket (s3rver)", async () => {
    const s3 = await startLocalS3();
    cleanups.push(() => s3.stop());
    const dir = await dataDir();
    const server = await start({
      LAKESYNC_DATA_DIR: dir,
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
    const adapter = new S3Adapter({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      credentials: s3.credentials,
      listApi: "v1",
    });
    const lake = unwrapOrThrow(
      await openLake(`s3://${s3.bucket}`, adapter, { sqlite: join(dir, "catalogue.sqlite") }),
    );
    cleanups.push(() => lake.catalogue.close());
    expect(await lakeRows(lake)).toEqual(bob.rows());
    expect(unwrapOrThrow(await adapter.listObjects("todos/todos/data/")).length).toBeGreaterThan(0);
  });

  it("commits to a PostgreSQL catalogue", async () => {
    if (!(await available("postgres"))) return;
    const ns = await freshNamespace("postgres");
    cleanups.push(ns.drop);
    const dir = await dataDir();
    const adapter = new FileSystemAdapter({ root: join(dir, "lake") });
    const lake = unwrapOrThrow(
      await openLake(`file://${join(dir, "lake")}`, adapter, {
        postgres: { connectionString: PG_URL, schema: ns.name },
      }),
    );
    cleanups.push(() => lake.catalogue.close());
    const server = await start(
      { LAKESYNC_DATA_DIR: dir },
      { target: icebergFlushTarget({ catalogue: lake.catalogue, location: lake.location }), lake },
    );
    const dave = new Replica("dave-phone", await TestClient.forUser(server.url, "dave", true));
    await dave.sync([dave.change("INSERT", "d1", { title: "jam", owner: "dave", private: true })]);
    await dave.sync([dave.change("UPDATE", "d1", { completed: true })]);
    expect((await dave.http.admin("/admin/flush/todos")).status).toBe(200);
    expect(await lakeRows(lake)).toEqual(dave.rows());
    const pg = new pgClient({ connectionString: PG_URL });
    await pg.connect();
    cleanups.push(() => pg.end());
    const found = await pg.query(
      `SELECT table_name FROM "${ns.name}".iceberg_tables WHERE table_namespace = 'todos' ORDER BY table_name`,
    );
    expect(found.rows.map((r) => r.table_name)).toEqual([
      "_lakesync_history",
      "_lakesync_state_todos",
      "todos",
    ]);
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
