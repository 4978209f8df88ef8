/**
 * The Worker commits its flushes as Iceberg snapshots through a REST catalogue: here LakeSync's
 * own REST server over a SQL catalogue, started in the test process (`rest-catalogue.ts`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deltaId, HLC, HLC_ZERO, unwrapOrThrow } from "@lakesync/core";
import { encodeSyncPush, PROTO_CONTENT_TYPE } from "@lakesync/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RestCatalogueServer, startRestCatalogue, WAREHOUSE } from "./rest-catalogue.js";
import { type DevWorker, startWorker, token } from "./wrangler-dev.js";

let dir: string;
let worker: DevWorker;
let rest: RestCatalogueServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-worker-iceberg-"));
  rest = await startRestCatalogue(dir);
  worker = await startWorker(join(dir, "worker"), {
    GATEWAY_PATTERN: "gw-.*",
    CATALOGUE_URI: rest.uri,
    CATALOGUE_WAREHOUSE: WAREHOUSE,
  });
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await rest?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the Worker with a REST catalogue", () => {
  it("commits each flush as Iceberg snapshots, with its data files in R2", async () => {
    const admin = { authorization: `Bearer ${await token("ops", true)}` };
    const post = (path: string, body: unknown) =>
      fetch(`${worker.url}${path}`, {
        method: "POST",
        headers: { ...admin, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const schema = { table: "todos", columns: [{ name: "title", type: "string" }] };
    expect((await post("/admin/schema/gw-iceberg", schema)).status).toBe(200);
    const clock = new HLC();
    const deltas = ["a", "b"].map((rowId) => {
      const hlc = clock.now();
      const columns = [{ column: "title", value: `todo ${rowId}` }];
      return {
        op: "INSERT" as const,
        table: "todos",
        rowId,
        clientId: "phone",
        columns,
        hlc,
        deltaId: deltaId({ clientId: "phone", hlc, table: "todos", rowId, columns }),
      };
    });
    const pushed = await fetch(`${worker.url}/sync/gw-iceberg/push`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await token("alice")}`,
        "content-type": PROTO_CONTENT_TYPE,
      },
      body: unwrapOrThrow(
        encodeSyncPush({ clientId: "phone", deltas, lastSeenHlc: HLC_ZERO }),
      ) as Uint8Array<ArrayBuffer>,
    });
    expect(pushed.status).toBe(200);
    const flushed = await fetch(`${worker.url}/admin/flush/gw-iceberg`, {
      method: "POST",
      headers: admin,
    });
    expect([flushed.status, await flushed.text()]).toEqual([200, expect.any(String)]);
    const table = unwrapOrThrow(
      await rest.catalogue.loadTable({ namespace: ["gw-iceberg"], name: "todos" }),
    );
    const current = table.metadata.snapshots?.find(
      (s) => s["snapshot-id"] === table.metadata["current-snapshot-id"],
    );
    expect(current?.summary["lakesync.gateway-id"]).toBe("gw-iceberg");
    expect(Number(current?.summary["total-records"])).toBe(2);
    const listed = await fetch(`${worker.url}/admin/objects/gw-iceberg?prefix=gw-iceberg/todos/`, {
      headers: admin,
    });
    const { objects } = (await listed.json()) as { objects: { key: string }[] };
    expect(objects.some((o) => o.key.endsWith(".parquet"))).toBe(true);
    expect(objects.some((o) => o.key.includes("/metadata/") && o.key.endsWith(".avro"))).toBe(true);
  });
});
