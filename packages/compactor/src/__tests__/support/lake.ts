import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, normalize, sep } from "node:path";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import {
  type Catalogue,
  createLakeLocation,
  icebergFlushTarget,
  type LakeLocation,
  type LakeSyncBatch,
  type LakeSyncFlushTarget,
  openSqlCatalogue,
} from "@lakesync/catalogue/node";
import { unwrapOrThrow } from "@lakesync/core";

/** A lake for one test: a temp directory, its warehouse URI, a SQLite `:memory:` catalogue. */
export interface TestLake {
  readonly root: string;
  readonly adapter: FileSystemAdapter;
  readonly location: LakeLocation;
  readonly catalogue: Catalogue;
  /** The file on disk of a warehouse URI. */
  readonly pathOf: (uri: string) => string;
  /** A flush target into namespace `["lake"]` with `buckets` buckets. */
  readonly target: LakeSyncFlushTarget;
  /** Writes and commits one batch. */
  flush(batch: LakeSyncBatch | undefined): Promise<void>;
  close(): Promise<void>;
}

async function serve(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    const file = normalize(join(root, path.slice("/warehouse".length)));
    if (!path.startsWith("/warehouse/") || !file.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      response.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? "");
    if (range) {
      const start = range[1] === "" ? bytes.length - Number(range[2]) : Number(range[1]);
      const end = range[1] !== "" && range[2] !== "" ? Number(range[2]) : bytes.length - 1;
      response.writeHead(206, {
        "content-range": `bytes ${start}-${end}/${bytes.length}`,
        "content-length": end - start + 1,
      });
      response.end(bytes.subarray(start, end + 1));
      return;
    }
    response.writeHead(200, { "content-length": bytes.length }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/warehouse`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Opens a lake in a fresh temp directory. With `http`, the warehouse is served over a local HTTP
 * server with Range support (icebird only fetches); otherwise it is a `file://` URI.
 */
export async function openTestLake(
  options: { http?: boolean; buckets?: number; now?: () => number } = {},
): Promise<TestLake> {
  const root = mkdtempSync(join(tmpdir(), "lakesync-compactor-"));
  const server = options.http ? await serve(root) : undefined;
  const warehouse = server ? server.url : `file://${root}`;
  const adapter = new FileSystemAdapter({ root, sync: false });
  const catalogue = unwrapOrThrow(
    await openSqlCatalogue({ warehouse, adapter, sqlite: ":memory:" }),
  );
  const location = unwrapOrThrow(createLakeLocation(warehouse, adapter));
  const target = icebergFlushTarget({
    catalogue,
    location,
    namespace: ["lake"],
    buckets: options.buckets ?? 4,
    retry: { backoffMs: () => 0 },
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    root,
    adapter,
    location,
    catalogue,
    target,
    pathOf: (uri) => join(root, ...unwrapOrThrow(location.keyOf(uri)).split("/")),
    async flush(batch) {
      if (!batch) return;
      unwrapOrThrow(await unwrapOrThrow(await target.write(batch)).commit());
    },
    async close() {
      await catalogue.close();
      await server?.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
