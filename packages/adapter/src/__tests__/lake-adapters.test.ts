import { chmod, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryAdapter } from "../lake/memory-adapter.js";
import { FileSystemAdapter } from "../node/fs-adapter.js";
import { S3Adapter } from "../node/s3-adapter.js";
import { lakeConformance, prefixedLake } from "../testing/lake-conformance.js";
import { type LocalS3, startLocalS3 } from "../testing/node/s3-server.js";

const dirs: string[] = [];
let s3: LocalS3;
let counter = 0;

beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

lakeConformance("MemoryAdapter", () => new MemoryAdapter());

lakeConformance(
  "FileSystemAdapter",
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakesync-fs-"));
    dirs.push(dir);
    return new FileSystemAdapter({ root: dir });
  },
  () => new FileSystemAdapter({ root: "/dev/null/lakesync" }),
);

/** Each S3 test gets its own key space inside the bucket, through a prefixing wrapper. */
lakeConformance(
  "S3Adapter on s3rver",
  () => {
    counter++;
    const inner = new S3Adapter({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      credentials: s3.credentials,
      forcePathStyle: true,
      listApi: "v1",
    });
    return prefixedLake(inner, `run${counter}/`);
  },
  () =>
    new S3Adapter({
      bucket: "lake",
      endpoint: "http://127.0.0.1:1",
      credentials: { accessKeyId: "x", secretAccessKey: "y" },
      maxAttempts: 1,
    }),
);

describe("S3Adapter checksum settings", () => {
  it("works against s3rver with the SDK's default checksums too (when-supported)", async () => {
    const lake = new S3Adapter({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      credentials: s3.credentials,
      forcePathStyle: true,
      checksums: "when-supported",
    });
    const data = new TextEncoder().encode("checksummed ✓".repeat(1000));
    expect((await lake.putObject("checksum/x", data)).ok).toBe(true);
    const back = await lake.getObject("checksum/x");
    expect(back.ok && new TextDecoder().decode(back.value)).toBe("checksummed ✓".repeat(1000));
  });
});

describe("FileSystemAdapter", () => {
  it("never leaves a torn object: a failed write keeps the old content", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakesync-fs-"));
    dirs.push(dir);
    const lake = new FileSystemAdapter({ root: dir });
    await lake.putObject("t/obj", new TextEncoder().encode("old"));
    await chmod(join(dir, "t"), 0o500);
    const failed = await lake.putObject("t/obj", new TextEncoder().encode("new"));
    await chmod(join(dir, "t"), 0o700);
    if (process.getuid?.() !== 0) expect(failed.ok).toBe(false);
    const back = await lake.getObject("t/obj");
    expect(back.ok && new TextDecoder().decode(back.value)).toMatch(/^(old|new)$/);
    const listed = await lake.listObjects("t/");
    expect(listed.ok && listed.value.map((o) => o.key)).toEqual(["t/obj"]);
  });

  it("streams into a .lakesync-tmp-* file beside the target, which abort removes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakesync-fs-"));
    dirs.push(dir);
    const lake = new FileSystemAdapter({ root: dir });
    const upload = await lake.putObjectStream("t/data/x.parquet");
    if (!upload.ok) throw upload.error;
    await upload.value.write(new Uint8Array(10));
    const during = await readdir(join(dir, "t", "data"));
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(/^\.lakesync-tmp-/);
    await upload.value.abort();
    expect(await readdir(join(dir, "t", "data"))).toEqual([]);
  });

  it("does not list temporary files left by a crash", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lakesync-fs-"));
    dirs.push(dir);
    const lake = new FileSystemAdapter({ root: dir });
    await lake.putObject("a/real", new Uint8Array(1));
    await writeFile(join(dir, "a", ".lakesync-tmp-abc"), "partial");
    const listed = await lake.listObjects("a/");
    expect(listed.ok && listed.value.map((o) => o.key)).toEqual(["a/real"]);
  });
});
