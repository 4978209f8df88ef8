/**
 * A lake for one test: a temp directory on the file-system adapter (or a bucket of a local S3)
 * with a SQLite `:memory:` catalogue, written by the catalogue's `icebergFlushTarget`.
 */
import "@lakesync/parquet/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter, type LakeAdapter, S3Adapter } from "@lakesync/adapter/node";
import { startLocalS3 } from "@lakesync/adapter/testing/node";
import { createLakeLocation, type LakeLocation, type SqlCatalogue } from "@lakesync/catalogue";
import { openSqlCatalogue } from "@lakesync/catalogue/node";
import { unwrapOrThrow } from "@lakesync/core";

export interface TestLake {
  readonly root: string;
  readonly adapter: LakeAdapter;
  readonly location: LakeLocation;
  readonly catalogue: SqlCatalogue;
  close(): Promise<void>;
}

/** Opens a lake in a fresh temp directory (`s3`: in a bucket of a local s3rver instead). */
export async function openTestLake(options: { s3?: boolean } = {}): Promise<TestLake> {
  const root = mkdtempSync(join(tmpdir(), "lakesync-analyst-"));
  let adapter: LakeAdapter;
  let warehouse: string;
  let stop = async () => {};
  if (options.s3) {
    const s3 = await startLocalS3("lake");
    adapter = new S3Adapter({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: s3.credentials,
    });
    warehouse = `s3://${s3.bucket}`;
    stop = () => s3.stop();
  } else {
    adapter = new FileSystemAdapter({ root, sync: false });
    warehouse = `file://${root}`;
  }
  // A clock one second per call, so every snapshot has its own commit time.
  let clock = Date.UTC(2026, 11, 1);
  const catalogue = unwrapOrThrow(
    await openSqlCatalogue({ warehouse, adapter, sqlite: ":memory:", now: () => (clock += 1000) }),
  );
  const location = unwrapOrThrow(createLakeLocation(warehouse, adapter));
  return {
    root,
    adapter,
    location,
    catalogue,
    async close() {
      await catalogue.close();
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
