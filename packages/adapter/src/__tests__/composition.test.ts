import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HLCTimestamp, unwrapOrThrow } from "@lakesync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompositeAdapter } from "../compose/composite-adapter.js";
import { migrateAdapter } from "../compose/migrate.js";
import { isDatabaseAdapter } from "../database/database-adapter.js";
import { isLakeAdapter } from "../lake/lake-adapter.js";
import { MemoryAdapter } from "../lake/memory-adapter.js";
import { FileSystemAdapter } from "../node/fs-adapter.js";
import { S3Adapter } from "../node/s3-adapter.js";
import { type LocalS3, startLocalS3 } from "../testing/node/s3-server.js";

let s3: LocalS3;
let dir: string;
beforeAll(async () => {
  s3 = await startLocalS3();
  dir = await mkdtemp(join(tmpdir(), "lakesync-migrate-"));
});
afterAll(async () => {
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("migrateAdapter S3 -> file system", () => {
  it("copies every object with progress, and a resumed run skips what is already there", async () => {
    const from = new S3Adapter({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      credentials: s3.credentials,
      listApi: "v1",
    });
    const to = new FileSystemAdapter({ root: dir });
    for (let i = 0; i < 30; i++)
      unwrapOrThrow(
        await from.putObject(`deltas/2026-11-23/gw/${i}.parquet`, new Uint8Array(i + 1).fill(i)),
      );
    unwrapOrThrow(await to.putObject("deltas/2026-11-23/gw/0.parquet", new Uint8Array(1).fill(0)));
    const seen: number[] = [];
    const report = unwrapOrThrow(
      await migrateAdapter(from, to, {
        prefix: "deltas/",
        onProgress: (p) => seen.push(p.copied + p.skipped),
      }),
    );
    expect(report).toEqual({ copied: 29, skipped: 1 });
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const copied = unwrapOrThrow(await to.getObject("deltas/2026-11-23/gw/29.parquet"));
    expect(copied).toEqual(new Uint8Array(30).fill(29));
    expect(unwrapOrThrow(await migrateAdapter(from, to, { prefix: "deltas/" }))).toEqual({
      copied: 0,
      skipped: 30,
    });
  });

  it("refuses mixing a lake and a database", async () => {
    const result = await migrateAdapter(new MemoryAdapter(), {
      ensureTable: async () => ({ ok: true, value: undefined }),
    } as never);
    expect(result.ok).toBe(false);
  });
});

describe("CompositeAdapter", () => {
  it("routes tables to their adapter with a fallback, and object calls to the fallback lake", async () => {
    const lake = new MemoryAdapter();
    const rows: string[] = [];
    const db = {
      ensureTable: async () => ({ ok: true as const, value: undefined }),
      putRows: async (table: string) => {
        rows.push(table);
        return { ok: true as const, value: undefined };
      },
      getRows: async () => ({ ok: true as const, value: [] }),
      deleteRows: async () => ({ ok: true as const, value: undefined }),
      close: async () => {},
    };
    const composite = new CompositeAdapter({ routes: { todos: db }, fallback: lake });
    expect(isDatabaseAdapter(composite.adapterFor("todos"))).toBe(true);
    expect(isLakeAdapter(composite.adapterFor("events"))).toBe(true);
    unwrapOrThrow(
      await composite.putRows("todos", [
        { rowId: "1", hlc: 1n as HLCTimestamp, clientId: "c", columns: [] },
      ]),
    );
    expect(rows).toEqual(["todos"]);
    const wrong = await composite.putRows("events", []);
    expect(!wrong.ok && wrong.error.message).toMatch(/routed to a lake/);
    unwrapOrThrow(await composite.putObject("x/y", new Uint8Array([1])));
    expect(unwrapOrThrow(await lake.getObject("x/y"))).toEqual(new Uint8Array([1]));
  });
});
