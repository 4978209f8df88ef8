/**
 * @module rest/__tests__/support/harness
 * The REST client and server wired together for tests: the server app mounted under `/iceberg`
 * in a host hono app, over a fresh SQL catalogue (SQLite `:memory:`), reached through an injected `fetch`
 * (`host.request`) wrapped by the OpenAPI validator; plus fixtures (a LakeSync-shaped schema,
 * snapshots and the commit a flush makes).
 */
import { MemoryAdapter } from "@lakesync/adapter";
import { unwrapOrThrow } from "@lakesync/core";
import { Hono } from "hono";
import type { Catalogue } from "../../../catalogue/catalogue.js";
import type { TableRequirement, TableUpdate } from "../../../catalogue/updates.js";
import type { IcebergSchema, PartitionSpec, Snapshot } from "../../../iceberg/types.js";
import { openSqlCatalogue } from "../../../node/open-sql-catalogue.js";
import type { FetchLike } from "../../http-exchange.js";
import { RestCatalogue, type RestCatalogueOptions } from "../../rest-catalogue.js";
import { createIcebergRestApp, type IcebergRestAppOptions } from "../../rest-server.js";
import { OpenApiSpec, validatingFetch } from "./openapi-validator.js";

/** The base URI the tests' clients use. */
export const BASE = "http://lakesync.test/iceberg";

/** An OAuth2 token endpoint outside the catalogue (an identity provider) that tests may mount. */
export const IDP_TOKEN_URL = "http://lakesync.test/idp/token";

let sharedSpec: OpenApiSpec | undefined;

/** The parsed spec, loaded once per test file. */
export function spec(): OpenApiSpec {
  sharedSpec ??= OpenApiSpec.load();
  return sharedSpec;
}

/** A catalogue for the server side: the SQL catalogue on SQLite `:memory:`, files in memory. */
export async function serverCatalogue(): Promise<Catalogue> {
  return unwrapOrThrow(
    await openSqlCatalogue({
      warehouse: "s3://lake/warehouse",
      adapter: new MemoryAdapter(),
      sqlite: ":memory:",
    }),
  );
}

/**
 * A server over `catalogue` mounted at `/iceberg` of a host app (`beforeMount` may add routes
 * that take precedence, such as a fake token endpoint), a validating fetch, and a client factory.
 */
export async function restHarness(
  options: IcebergRestAppOptions = {},
  given?: Catalogue,
  beforeMount: (host: Hono) => void = () => {},
) {
  const catalogue = given ?? (await serverCatalogue());
  const host = new Hono();
  beforeMount(host);
  host.route("/iceberg", unwrapOrThrow(createIcebergRestApp(catalogue, options)));
  const violations: string[] = [];
  const raw: FetchLike = async (input, init) => host.request(input, init);
  const fetch = validatingFetch(raw, {
    base: BASE,
    prefix: options.prefix,
    spec: spec(),
    violations,
    tokenEndpoints: [IDP_TOKEN_URL],
  });
  const client = (overrides: Partial<RestCatalogueOptions> = {}) =>
    new RestCatalogue({ uri: BASE, fetch, sleep: async () => {}, ...overrides });
  return { catalogue, host, fetch, raw, violations, client };
}

/** A table schema as LakeSync writes it: `row_id` the identifier field. */
export const SCHEMA: IcebergSchema = {
  type: "struct",
  "schema-id": 0,
  "identifier-field-ids": [1],
  fields: [
    { id: 1, name: "row_id", required: true, type: "string" },
    { id: 2, name: "title", required: false, type: "string" },
    { id: 3, name: "done", required: false, type: "boolean" },
  ],
};

/** `bucket(16, row_id)`. */
export const SPEC: PartitionSpec = {
  "spec-id": 0,
  fields: [{ "source-id": 1, "field-id": 1000, name: "row_id_bucket", transform: "bucket[16]" }],
};

/** Snapshot `id` with sequence number `sequence`, child of `parent`. */
export function snapshot(id: number, sequence: number, parent?: number): Snapshot {
  return {
    "snapshot-id": id,
    ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
    "sequence-number": sequence,
    "timestamp-ms": 1_700_000_000_000 + sequence,
    "manifest-list": `s3://lake/warehouse/lakesync/todos/metadata/snap-${id}.avro`,
    summary: { operation: "append", "lakesync.gateway-id": "gw-1" },
    "schema-id": 0,
  };
}

/** The commit of one flush: main must still be at `parent`, then the new snapshot becomes main. */
export function flushCommit(
  id: number,
  sequence: number,
  parent: number | null,
): { requirements: TableRequirement[]; updates: TableUpdate[] } {
  return {
    requirements: [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": parent }],
    updates: [
      { action: "add-snapshot", snapshot: snapshot(id, sequence, parent ?? undefined) },
      { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": id },
    ],
  };
}
