/**
 * The Worker compacts its Iceberg tables from its Durable Object's alarm: flushes (from the same
 * alarm) arm a compaction check, and once a table has more small or delete files than the
 * thresholds the check folds them. Real workerd (`wrangler dev`) with local R2, LakeSync's REST
 * catalogue in the test process; the table is read back with the catalogue's reader before and
 * after compaction, over the Worker's admin file route.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LakeAdapter, ObjectNotFoundError } from "@lakesync/adapter";
import {
  createLakeLocation,
  planScan,
  readLakeTable,
  type Snapshot,
  type SqlCatalogue,
} from "@lakesync/catalogue/node";
import {
  AdapterError,
  deltaId,
  Err,
  HLC,
  HLC_ZERO,
  Ok,
  type Row,
  type RowDelta,
  unwrapOrThrow,
} from "@lakesync/core";
import {
  type CheckpointChunk,
  decodeCheckpointChunk,
  encodeSyncPush,
  PROTO_CONTENT_TYPE,
} from "@lakesync/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RestCatalogueServer, startRestCatalogue, WAREHOUSE } from "./rest-catalogue.js";
import { type DevWorker, startWorker, token } from "./wrangler-dev.js";

const GATEWAY = "gw-compact";
let dir: string;
let worker: DevWorker;
let rest: RestCatalogueServer;
let catalogue: SqlCatalogue;
/** What the Worker logged after it started (its `console.error` lines among them). */
let logged = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-worker-compaction-"));
  rest = await startRestCatalogue(dir);
  catalogue = rest.catalogue;
  worker = await startWorker(join(dir, "worker"), {
    GATEWAY_PATTERN: "gw-.*",
    CATALOGUE_URI: rest.uri,
    CATALOGUE_WAREHOUSE: WAREHOUSE,
    // Flushes and compaction checks come from the alarm, soon after each write.
    FLUSH_MAX_AGE_MS: "200",
    COMPACTION_INTERVAL_MS: "300",
    COMPACTION_SMALL_FILES: "4",
    COMPACTION_DELETE_FILES: "4",
    COMPACTION_TARGET_BYTES: "1048576",
    COMPACTION_MEMORY_BYTES: String(16 * 1024 * 1024),
    MAINTENANCE_INTERVAL_MS: "86400000",
    CHECKPOINTS: "lake",
  });
  for (const stream of [worker.child.stdout, worker.child.stderr])
    stream?.on("data", (chunk: Buffer) => {
      logged += chunk.toString();
    });
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await rest?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The Worker's R2, read-only, through `GET /admin/object/:gatewayId`. */
function workerFiles(adminToken: string): LakeAdapter {
  const readOnly = async () => Err(new AdapterError("the test reads the lake only"));
  const get = async (path: string) => {
    const response = await fetch(
      `${worker.url}/admin/object/${GATEWAY}?key=${encodeURIComponent(path)}`,
      { headers: { authorization: `Bearer ${adminToken}` } },
    );
    if (response.status === 404) return Err(new ObjectNotFoundError(path));
    if (!response.ok) return Err(new AdapterError(`${response.status} ${await response.text()}`));
    return Ok(new Uint8Array(await response.arrayBuffer()));
  };
  return {
    getObject: get,
    async headObject(path) {
      const got = await get(path);
      return got.ok ? Ok({ size: got.value.byteLength, lastModified: new Date(0) }) : got;
    },
    async listObjects(prefix) {
      const response = await fetch(
        `${worker.url}/admin/objects/${GATEWAY}?prefix=${encodeURIComponent(prefix)}`,
        { headers: { authorization: `Bearer ${adminToken}` } },
      );
      const { objects } = (await response.json()) as { objects: { key: string; size: number }[] };
      return Ok(objects.map((o) => ({ ...o, lastModified: new Date(0) })));
    },
    putObject: readOnly,
    deleteObject: readOnly,
    deleteObjects: readOnly,
  };
}

/** Polls `read` until `done` holds of its value (the alarm runs on its own schedule). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (done(value)) return value;
    if (attempt > 300) throw new Error(`gave up waiting: ${JSON.stringify(value, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const snapshotsOf = async () => {
  const loaded = await catalogue.loadTable({ namespace: [GATEWAY], name: "todos" });
  if (!loaded.ok) return { flushes: [] as Snapshot[], current: undefined };
  const { metadata } = loaded.value;
  const snapshots = metadata.snapshots ?? [];
  return {
    flushes: snapshots.filter((s) => s.summary["lakesync.log-range"] !== undefined),
    current: snapshots.find((s) => s["snapshot-id"] === metadata["current-snapshot-id"]),
  };
};

describe("compaction from the Worker's alarm", () => {
  it("after enough flushes the alarm compacts, and the table reads the same", async () => {
    const adminToken = await token("ops", true);
    const admin = { authorization: `Bearer ${adminToken}`, "content-type": "application/json" };
    const schema = {
      table: "todos",
      columns: [
        { name: "title", type: "string" },
        { name: "owner", type: "string" },
      ],
    };
    const created = await fetch(`${worker.url}/admin/schema/${GATEWAY}`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify(schema),
    });
    expect(created.status).toBe(200);
    const alice = `Bearer ${await token("alice")}`;
    const clock = new HLC();
    const change = (op: RowDelta["op"], rowId: string, values: Record<string, string> = {}) => {
      const hlc = clock.now();
      const columns = Object.entries(values).map(([column, value]) => ({ column, value }));
      return {
        op,
        table: "todos",
        rowId,
        clientId: "phone",
        columns,
        hlc,
        deltaId: deltaId({ clientId: "phone", hlc, table: "todos", rowId, columns }),
      };
    };
    const batches: RowDelta[][] = [
      ["r1", "r2", "r3"].map((id) => change("INSERT", id, { title: `${id} v1`, owner: "alice" })),
      ["r1", "r2", "r3"].map((id) => change("UPDATE", id, { title: `${id} v2` })),
      [
        change("UPDATE", "r1", { title: "r1 v3" }),
        change("UPDATE", "r2", { title: "r2 v3" }),
        change("DELETE", "r3"),
      ],
    ];
    for (const [i, deltas] of batches.entries()) {
      const pushed = await fetch(`${worker.url}/sync/${GATEWAY}/push`, {
        method: "POST",
        headers: { authorization: alice, "content-type": PROTO_CONTENT_TYPE },
        body: unwrapOrThrow(
          encodeSyncPush({ clientId: "phone", deltas, lastSeenHlc: HLC_ZERO }),
        ) as Uint8Array<ArrayBuffer>,
      });
      expect(pushed.status).toBe(200);
      // The alarm flushes each batch on its own.
      await until(snapshotsOf, (s) => s.flushes.length >= i + 1);
    }
    // Every flush arms a check; the one after the last flush compacts what it left.
    const { flushes, current } = await until(snapshotsOf, ({ flushes, current }) => {
      const last = Math.max(...flushes.map((s) => s["sequence-number"] ?? 0));
      return current?.summary.operation === "replace" && (current["sequence-number"] ?? 0) > last;
    });
    expect(flushes).toHaveLength(3);
    const lastFlush = flushes.reduce((a, b) =>
      (a["sequence-number"] ?? 0) > (b["sequence-number"] ?? 0) ? a : b,
    );

    const location = unwrapOrThrow(createLakeLocation(WAREHOUSE, workerFiles(adminToken)));
    const lake = { catalogue, location, namespace: [GATEWAY], table: "todos" };
    const live = (rows: ReadonlyMap<string, Row>) =>
      Object.fromEntries(
        [...rows]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([id, row]) => [
            id,
            Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)),
          ]),
      );
    const before = unwrapOrThrow(
      await readLakeTable({ ...lake, snapshotId: lastFlush["snapshot-id"] }),
    );
    const after = unwrapOrThrow(await readLakeTable(lake));
    expect(live(after.rows)).toEqual(live(before.rows));
    expect(live(after.rows)).toEqual({
      r1: { title: "r1 v3", owner: "alice" },
      r2: { title: "r2 v3", owner: "alice" },
    });
    const { metadata } = unwrapOrThrow(
      await catalogue.loadTable({ namespace: [GATEWAY], name: "todos" }),
    );
    expect(metadata["current-snapshot-id"]).toBe(current?.["snapshot-id"]);
    const plan = unwrapOrThrow(await planScan(location, metadata));
    expect(plan.deleteFiles).toHaveLength(0);
    expect(plan.dataFiles.length).toBeLessThanOrEqual(3);

    // CHECKPOINTS=lake: a new client's checkpoint comes from the compacted table, the deleted
    // row as a tombstone.
    const response = await fetch(`${worker.url}/sync/${GATEWAY}/checkpoint`, {
      headers: { authorization: alice },
    });
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const chunks: CheckpointChunk[] = [];
    for (let at = 0; at < bytes.byteLength; at += 4 + view.getUint32(at, false))
      chunks.push(
        unwrapOrThrow(decodeCheckpointChunk(bytes.subarray(at + 4, at + 4 + view.getUint32(at)))),
      );
    const deltas = chunks.flatMap((c) => (c.payload.kind === "deltas" ? c.payload.deltas : []));
    expect(deltas.some((d) => d.rowId === "r3" && d.op === "DELETE")).toBe(true);
    const range = lastFlush.summary["lakesync.log-range"] ?? "";
    expect(response.headers.get("x-lakesync-snapshot-hlc")).toBe(range.split("-")[1]);
    // Neither a compaction nor the lake's checkpoint failed (a failure is logged, then served
    // from storage).
    expect(logged).not.toMatch(/lakesync: /);
  }, 120_000);
});
