/**
 * LakeSync's own Iceberg REST catalogue (the one the Node gateway serves under /iceberg) over a
 * SQL catalogue, started in the test process, as R2 Data Catalog would be in production. The
 * catalogue writes table metadata on its own storage; the Worker writes the data files and
 * manifests to R2. Both name them by the same warehouse URIs.
 */
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { FileSystemAdapter } from "@lakesync/adapter/node";
import {
  createIcebergRestApp,
  openSqlCatalogue,
  type SqlCatalogue,
} from "@lakesync/catalogue/node";
import { unwrapOrThrow } from "@lakesync/core";

/** The warehouse URI the tests' Workers are configured with. */
export const WAREHOUSE = "s3://lakesync-lake";

/** A running REST catalogue: its URI, the catalogue behind it, and how to stop both. */
export interface RestCatalogueServer {
  readonly uri: string;
  readonly catalogue: SqlCatalogue;
  close(): Promise<void>;
}

/** Starts the catalogue with its files and SQLite database in `dir`. */
export async function startRestCatalogue(dir: string): Promise<RestCatalogueServer> {
  const catalogue = unwrapOrThrow(
    await openSqlCatalogue({
      warehouse: WAREHOUSE,
      adapter: new FileSystemAdapter({ root: join(dir, "catalogue-files") }),
      sqlite: join(dir, "catalogue.sqlite"),
    }),
  );
  const rest = unwrapOrThrow(createIcebergRestApp(catalogue, {}));
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: rest.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  return {
    uri: `http://127.0.0.1:${port}`,
    catalogue,
    async close() {
      await new Promise((resolve) => server?.close(resolve));
      await catalogue.close();
    },
  };
}
