import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unwrapOrThrow } from "@lakesync/core";
import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { devToken } from "../dev-mode.js";
import { openServerLake } from "../flush-target.js";
import { lakeMaintenanceOptions } from "../lake-maintenance.js";
import { startGateway } from "../start-gateway.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "lakesync-start-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = (env: Record<string, string> = {}) =>
  unwrapOrThrow(loadConfig({ PORT: "0", LAKESYNC_DATA_DIR: dir, ...env }));

describe("startGateway", () => {
  it("serves the configuration's Iceberg lake with maintenance on, and closes it all", async () => {
    const gateway = unwrapOrThrow(await startGateway(config()));
    expect(gateway.target.description).toMatch(
      /^Iceberg tables in file:\/\/.* \(SQLite catalogue /,
    );
    expect(gateway.maintenance).toBeDefined();
    expect((await fetch(`${gateway.server.url}/health`)).status).toBe(200);
    expect((await gateway.close()).ok).toBe(true);
    await expect(fetch(`${gateway.server.url}/health`)).rejects.toThrow();
  });

  it("runs no maintenance when compaction is off", async () => {
    const gateway = unwrapOrThrow(await startGateway(config({ LAKESYNC_COMPACTION: "off" })));
    expect(gateway.maintenance).toBeUndefined();
    await gateway.close();
  });

  it("a port in use is LISTEN_FAILED, and the target is released", async () => {
    const first = unwrapOrThrow(await startGateway(config({ LAKESYNC_COMPACTION: "off" })));
    try {
      const second = await startGateway(
        config({ PORT: String(first.server.port), LAKESYNC_DATA_DIR: join(dir, "second") }),
      );
      expect(!second.ok && second.error.code).toBe("LISTEN_FAILED");
    } finally {
      await first.close();
    }
  });
});

describe("openServerLake", () => {
  it("opens the catalogue and location the server flushes to", async () => {
    const lake = unwrapOrThrow(await openServerLake(config()));
    expect(lake.location.warehouse).toMatch(/^file:\/\/.*\/lake$/);
    expect(unwrapOrThrow(await lake.catalogue.listNamespaces())).toEqual([]);
    await lake.close();
  });

  it.each([
    [{ LAKESYNC_LAKE: "postgres", DATABASE_URL: "postgres://x@127.0.0.1/db" }],
    [{ LAKESYNC_FLUSH_FORMAT: "json" }],
    [{ LAKESYNC_CATALOGUE: "none" }],
  ])("is INVALID_CONFIG when the configuration has no Iceberg lake (%j)", async (env) => {
    const lake = await openServerLake(config(env));
    expect(!lake.ok && lake.error.code).toBe("INVALID_CONFIG");
  });
});

describe("lakeMaintenanceOptions", () => {
  it("a file-system lake lists crashed writes' temporary files too; S3 lists through its adapter", () => {
    const fs = lakeMaintenanceOptions(config({ LAKESYNC_SNAPSHOT_MAX_AGE_MS: "60000" }));
    expect(fs).toMatchObject({ snapshotMaxAgeMs: 60_000 });
    expect(fs.listFiles).toBeTypeOf("function");
    const s3 = lakeMaintenanceOptions(config({ LAKESYNC_LAKE: "s3", LAKESYNC_S3_BUCKET: "b" }));
    expect(s3.listFiles).toBeUndefined();
  });
});

describe("devToken", () => {
  it("is valid for 12 hours and every gateway by default; options narrow both", async () => {
    const wide = decodeJwt(await devToken("s", "alice", false));
    expect(wide).toMatchObject({ sub: "alice", gw: "*", admin: false });
    expect((wide.exp ?? 0) - (wide.iat ?? 0)).toBe(12 * 3600);
    const narrow = decodeJwt(
      await devToken("s", "ops", true, { expiresInSeconds: 60, gateway: "todos" }),
    );
    expect(narrow).toMatchObject({ sub: "ops", gw: "todos", admin: true });
    expect((narrow.exp ?? 0) - (narrow.iat ?? 0)).toBe(60);
  });
});
