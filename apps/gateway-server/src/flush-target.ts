/**
 * @module flush-target
 * Building the flush target the configuration names.
 */
import {
  FileSystemAdapter,
  MySQLAdapter,
  PostgresAdapter,
  S3Adapter,
} from "@lakesync/adapter/node";
import { databaseTarget, type FlushTarget, lakeFileTarget } from "@lakesync/gateway";
import type { ServerConfig } from "./config.js";

/** A flush target and how to release it. */
export interface ConfiguredTarget {
  readonly target: FlushTarget;
  /** A line for the start-up banner, e.g. `file system lake at /data/lake`. */
  readonly description: string;
  readonly close: () => Promise<void>;
}

/** The target for the configured lake: local disk (default), S3, PostgreSQL or MySQL. */
export function createFlushTarget(config: ServerConfig): ConfiguredTarget {
  const lake = config.lake;
  const noop = async () => {};
  switch (lake.kind) {
    case "fs":
      return {
        target: lakeFileTarget(new FileSystemAdapter({ root: lake.dir }), {
          format: config.flushFormat,
        }),
        description: `file system lake at ${lake.dir}`,
        close: noop,
      };
    case "s3":
      return {
        target: lakeFileTarget(
          new S3Adapter({
            bucket: lake.bucket,
            region: lake.region,
            forcePathStyle: lake.forcePathStyle,
            ...(lake.endpoint ? { endpoint: lake.endpoint } : {}),
            ...(lake.accessKeyId && lake.secretAccessKey
              ? {
                  credentials: {
                    accessKeyId: lake.accessKeyId,
                    secretAccessKey: lake.secretAccessKey,
                  },
                }
              : {}),
          }),
          { format: config.flushFormat },
        ),
        description: `S3 bucket ${lake.bucket}${lake.endpoint ? ` at ${lake.endpoint}` : ""}`,
        close: noop,
      };
    case "postgres": {
      const adapter = new PostgresAdapter({ connectionString: lake.url });
      return {
        target: databaseTarget(adapter, "PostgreSQL"),
        description: "PostgreSQL",
        close: () => adapter.close(),
      };
    }
    case "mysql": {
      const adapter = new MySQLAdapter({ uri: lake.url });
      return {
        target: databaseTarget(adapter, "MySQL"),
        description: "MySQL",
        close: () => adapter.close(),
      };
    }
  }
}
