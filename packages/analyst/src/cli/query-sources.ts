/**
 * @module cli/query-sources
 * What the command line registers besides the lake's views: every synced table as of an HLC
 * (folded from the history), or live (the lake plus the gateway's unflushed deltas), plus the
 * namespace and token it falls back on.
 */
import type { Catalogue, Namespace } from "@lakesync/catalogue";
import { Err, type HLCTimestamp, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { DuckDBClient } from "../duckdb/duckdb-client.js";
import { AnalystError, messageOf } from "../errors.js";
import { listLakeTables } from "../lake/lake-tables.js";
import type { OpenedLake } from "../lake/open-lake.js";
import { TimeTraveller } from "../time-travel/time-traveller.js";
import { type HttpSourceOptions, httpSource } from "../union/http-source.js";
import { UnionReader } from "../union/union-reader.js";

/** The lake, namespace and client a command works on. */
export interface QueryContext {
  readonly lake: OpenedLake;
  readonly namespace: Namespace;
  readonly client: DuckDBClient;
}

/** `given` split on dots, or the catalogue's only namespace; `INVALID_INPUT` when ambiguous. */
export async function resolveNamespace(
  catalogue: Catalogue,
  given: string | undefined,
): Promise<Result<Namespace, LakeSyncError>> {
  if (given !== undefined) return Ok(given.split("."));
  const listed = await catalogue.listNamespaces();
  if (!listed.ok) return listed;
  const [only] = listed.value;
  if (listed.value.length === 1 && only) return Ok(only);
  return Err(
    new AnalystError(
      "INVALID_INPUT",
      listed.value.length === 0
        ? "the lake has no namespace yet: nothing was flushed"
        : `give --namespace: the lake has ${listed.value.map((n) => n.join(".")).join(", ")}`,
    ),
  );
}

/**
 * The token for `--live`: the one given, else a development token from the gateway's
 * `/dev/token` route (a gateway started by `npm start` in development mode).
 */
export async function resolveToken(
  url: string,
  given: string | undefined,
  doFetch: typeof fetch = fetch,
): Promise<Result<string, AnalystError>> {
  if (given) return Ok(given);
  try {
    const response = await doFetch(
      `${url.replace(/\/+$/, "")}/dev/token?sub=lakesync-analyst&admin=1`,
    );
    const body = (await response.json()) as { token?: unknown };
    if (response.ok && typeof body.token === "string") return Ok(body.token);
  } catch (cause) {
    return Err(
      new AnalystError(
        "GATEWAY_UNAVAILABLE",
        `--live needs the gateway at ${url}: ${messageOf(cause)}`,
        { cause },
      ),
    );
  }
  return Err(
    new AnalystError(
      "INVALID_INPUT",
      `--live needs an admin token (--token or LAKESYNC_TOKEN) for ${url}`,
    ),
  );
}

/** Registers every synced table as of `hlc`, from the history. */
export async function registerAsOfHlc(
  context: QueryContext,
  hlc: HLCTimestamp,
): Promise<Result<void, LakeSyncError>> {
  const { lake, namespace, client } = context;
  const tables = await listLakeTables(lake.catalogue, namespace);
  if (!tables.ok) return tables;
  const traveller = new TimeTraveller({ ...lake, namespace });
  for (const table of tables.value) {
    const asOf = await traveller.asOfHlc(table, hlc);
    if (!asOf.ok) return asOf;
    const registered = await client.registerRows(table, asOf.value.schema, asOf.value.rows);
    if (!registered.ok) return registered;
  }
  return Ok(undefined);
}

/** Registers every synced table as the union of the lake and the gateway's unflushed deltas. */
export async function registerLive(
  context: QueryContext,
  gateway: HttpSourceOptions,
): Promise<Result<void, LakeSyncError>> {
  const { lake, namespace, client } = context;
  const tables = await listLakeTables(lake.catalogue, namespace);
  if (!tables.ok) return tables;
  const reader = new UnionReader({ ...lake, namespace, source: httpSource(gateway) });
  for (const table of tables.value) {
    const union = await reader.read(table);
    if (!union.ok) return union;
    const registered = await client.registerRows(table, union.value.schema, union.value.rows);
    if (!registered.ok) return registered;
  }
  return Ok(undefined);
}
