/// <reference path="./s3rver.d.ts" />
/**
 * @module testing/node/s3-server
 * The S3 the tests run against: by default a private s3rver on 127.0.0.1; when
 * `LAKESYNC_TEST_S3_ENDPOINT` is set, an external S3 (the MinIO of `docker/docker-compose.yml`)
 * in which every caller gets a bucket of its own.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** A real S3-speaking endpoint and one bucket that belongs to the caller alone. */
export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

/**
 * Starts s3rver on a free port; `stop()` shuts it down and deletes its files.
 *
 * With `LAKESYNC_TEST_S3_ENDPOINT` set (e.g. `http://127.0.0.1:9000`), no s3rver starts: the call
 * creates a fresh bucket `<LAKESYNC_TEST_S3_BUCKET>-<bucket>-<random>` (prefix default
 * `lakesync-test`) on that endpoint with `LAKESYNC_TEST_S3_ACCESS_KEY` / `LAKESYNC_TEST_S3_SECRET_KEY`
 * (default: the compose file's `lakesync` / `lakesync-secret`), so parallel test files never see
 * each other's keys; `stop()` deletes every object written there and that bucket, and nothing
 * else. An unreachable endpoint is an error, never a skip: the caller asked for it.
 */
export async function startLocalS3(bucket = "lake"): Promise<LocalS3> {
  const external = process.env.LAKESYNC_TEST_S3_ENDPOINT;
  if (external) return useExternalS3(external, bucket);
  const directory = await mkdtemp(join(tmpdir(), "lakesync-s3-"));
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: process.env.S3RVER_LOG !== "1",
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A bucket name S3 accepts (3-63 of `a-z0-9-`) that no other caller will pick. */
function isolatedBucketName(label: string): string {
  const prefix = process.env.LAKESYNC_TEST_S3_BUCKET || "lakesync-test";
  const suffix = randomBytes(5).toString("hex");
  const base = `${prefix}-${label}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, 63 - suffix.length - 1)
    .replace(/-+$/, "");
  return `${base}-${suffix}`;
}

async function useExternalS3(endpoint: string, label: string): Promise<LocalS3> {
  const credentials = {
    accessKeyId: process.env.LAKESYNC_TEST_S3_ACCESS_KEY || "lakesync",
    secretAccessKey: process.env.LAKESYNC_TEST_S3_SECRET_KEY || "lakesync-secret",
  };
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const bucket = isolatedBucketName(label);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (cause) {
    client.destroy();
    throw new Error(
      `LAKESYNC_TEST_S3_ENDPOINT=${endpoint}: cannot create bucket ${bucket} (is the S3 service up, and are LAKESYNC_TEST_S3_ACCESS_KEY / LAKESYNC_TEST_S3_SECRET_KEY right?)`,
      { cause },
    );
  }
  return {
    endpoint,
    bucket,
    credentials,
    async stop() {
      try {
        await emptyBucket(client, bucket);
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      } finally {
        client.destroy();
      }
    },
  };
}

/** Deletes every object of `bucket`, a page (at most 1000 keys) at a time. */
async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).flatMap((o) =>
      o.Key === undefined ? [] : [{ Key: o.Key }],
    );
    if (keys.length === 0) return;
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
    );
    const failed = result.Errors?.[0];
    if (failed) throw new Error(`cannot delete ${failed.Key} from ${bucket}: ${failed.Message}`);
  }
}
