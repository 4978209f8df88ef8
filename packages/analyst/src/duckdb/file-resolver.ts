/**
 * @module duckdb/file-resolver
 * Paths DuckDB can read for the files of a lake (Node). A lake on the local disk
 * (`FileSystemAdapter`) is read in place; any other adapter (S3, R2, …) is read through the
 * adapter into a cache directory, one file per URI, and kept there: Iceberg data and delete
 * files are immutable, so a cached copy never goes stale. No DuckDB extension is involved.
 */
import { createHash, randomBytes } from "node:crypto";
import { access, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import type { LakeLocation } from "@lakesync/catalogue";
import { Err, Ok, type Result } from "@lakesync/core";
import { AnalystError, messageOf } from "../errors.js";

/** Resolves lake URIs to local paths. */
export interface FileResolver {
  /** Local paths of `uris`, in order; `Err(AnalystError)` (`MISSING_FILE`) naming the first missing one. */
  resolve(uris: readonly string[]): Promise<Result<Map<string, string>, AnalystError>>;
}

/** The default cache directory for files of remote lakes. */
export const DEFAULT_CACHE_DIR = join(tmpdir(), "lakesync-analyst-cache");

const PARALLEL = 8;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function inBatches<T>(
  items: readonly T[],
  work: (item: T) => Promise<AnalystError | undefined>,
) {
  for (let i = 0; i < items.length; i += PARALLEL) {
    const failed = (await Promise.all(items.slice(i, i + PARALLEL).map(work))).find((e) => e);
    if (failed) return failed;
  }
  return undefined;
}

/** A resolver for `location`: in place for a local-disk lake, else through `cacheDir`. */
export function fileResolver(location: LakeLocation, cacheDir = DEFAULT_CACHE_DIR): FileResolver {
  const adapter = location.adapter;
  if (adapter instanceof FileSystemAdapter)
    return {
      async resolve(uris) {
        const out = new Map<string, string>();
        for (const uri of uris) {
          const key = location.keyOf(uri);
          if (!key.ok)
            return Err(new AnalystError("MISSING_FILE", key.error.message, { cause: key.error }));
          out.set(uri, join(adapter.root, ...key.value.split("/")));
        }
        const missing = await inBatches([...out], async ([uri, path]) =>
          (await exists(path))
            ? undefined
            : new AnalystError("MISSING_FILE", `the lake file ${uri} is missing (${path})`),
        );
        return missing ? Err(missing) : Ok(out);
      },
    };
  return {
    async resolve(uris) {
      const out = new Map<string, string>();
      for (const uri of uris) {
        const name = createHash("sha256").update(uri).digest("hex").slice(0, 40);
        out.set(uri, join(cacheDir, `${name}.parquet`));
      }
      try {
        await mkdir(cacheDir, { recursive: true });
      } catch (cause) {
        return Err(
          new AnalystError(
            "MISSING_FILE",
            `cannot create the cache ${cacheDir}: ${messageOf(cause)}`,
            { cause },
          ),
        );
      }
      const failed = await inBatches([...out], async ([uri, path]) => {
        if (await exists(path)) return undefined;
        const bytes = await location.read(uri);
        if (!bytes.ok)
          return new AnalystError(
            "MISSING_FILE",
            `cannot fetch the lake file ${uri}: ${bytes.error.message}`,
            {
              cause: bytes.error,
            },
          );
        const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
        try {
          await writeFile(temp, bytes.value);
          await rename(temp, path);
          return undefined;
        } catch (cause) {
          await rm(temp, { force: true });
          return new AnalystError("MISSING_FILE", `cannot cache ${uri}: ${messageOf(cause)}`, {
            cause,
          });
        }
      });
      return failed ? Err(failed) : Ok(out);
    },
  };
}
