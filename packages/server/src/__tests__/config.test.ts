import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unwrapOrThrow } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { DEV_JWT_SECRET, loadConfig } from "../config.js";

const errorOf = (env: Record<string, string>) => {
  const result = loadConfig(env, "/srv");
  if (result.ok) throw new Error("expected an error");
  expect(result.error.code).toBe("INVALID_CONFIG");
  return result.error.message;
};

describe("loadConfig", () => {
  it("defaults to the embedded setup: local disk lake, dev secret, port 8787", () => {
    const config = unwrapOrThrow(loadConfig({}, "/srv"));
    expect(config).toMatchObject({
      port: 8787,
      host: "127.0.0.1",
      dataDir: "/srv/.lakesync-data",
      lake: { kind: "fs", dir: "/srv/.lakesync-data/lake" },
      flushFormat: "parquet",
      devSecret: true,
      jwtSecret: DEV_JWT_SECRET,
    });
  });

  it("PORT and friends come from the environment", () => {
    const config = unwrapOrThrow(
      loadConfig(
        {
          PORT: "9000",
          LAKESYNC_JWT_SECRET: "s".repeat(40),
          LAKESYNC_CORS_ORIGINS: "http://a, http://b",
        },
        "/srv",
      ),
    );
    expect(config).toMatchObject({
      port: 9000,
      devSecret: false,
      jwtSecret: "s".repeat(40),
      corsOrigins: ["http://a", "http://b"],
    });
  });

  it("a config file supplies settings the environment overrides", () => {
    const dir = mkdtempSync(join(tmpdir(), "lakesync-config-"));
    writeFileSync(
      join(dir, "gw.json"),
      JSON.stringify({ port: 7000, lake: "s3", s3Bucket: "lake", flushFormat: "json" }),
    );
    const config = unwrapOrThrow(loadConfig({ LAKESYNC_CONFIG: "gw.json", PORT: "7001" }, dir));
    expect(config).toMatchObject({
      port: 7001,
      flushFormat: "json",
      lake: { kind: "s3", bucket: "lake", region: "us-east-1" },
    });
  });

  it("names the bad setting", () => {
    expect(errorOf({ PORT: "eighty" })).toContain("PORT must be an integer");
    expect(errorOf({ PORT: "70000" })).toContain("PORT must be an integer");
    expect(errorOf({ LAKESYNC_LAKE: "ftp" })).toContain("LAKESYNC_LAKE must be");
    expect(errorOf({ LAKESYNC_LAKE: "s3" })).toContain("LAKESYNC_S3_BUCKET is required");
    expect(errorOf({ LAKESYNC_LAKE: "postgres" })).toContain("DATABASE_URL is required");
    expect(errorOf({ LAKESYNC_FLUSH_FORMAT: "csv" })).toContain("json or parquet");
    expect(errorOf({ LAKESYNC_CONFIG: "missing.json" })).toContain("cannot read config file");
  });
});
