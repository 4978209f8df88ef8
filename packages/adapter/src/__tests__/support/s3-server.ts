import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";

/** A real S3-speaking server (s3rver) on 127.0.0.1 with one bucket, in a temporary directory. */
export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

/** Starts s3rver on a free port; `stop()` shuts it down and deletes its files. */
export async function startLocalS3(bucket = "lake"): Promise<LocalS3> {
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
