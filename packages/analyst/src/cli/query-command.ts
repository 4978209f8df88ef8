/**
 * @module cli/query-command
 * `lakesync-query "SQL" [--as-of <hlc|snapshot|ISO time>] [--live] [--format table|json|csv]`:
 * SQL over the lake of a Node gateway's data directory (or any lake the options name), at the
 * current snapshot, as of a moment, or live (the lake plus the gateway's unflushed deltas).
 * Exit codes: 0 ok, 1 the query (or reading the lake) failed, 2 usage error.
 */

import type { LakeSyncError } from "@lakesync/core";
import { Command, CommanderError, Option } from "commander";
import { DuckDBClient } from "../duckdb/duckdb-client.js";
import { openLake } from "../lake/open-lake.js";
import { parseAsOf } from "../time-travel/as-of.js";
import { formatResult, type OutputFormat } from "./format.js";
import { registerAsOfHlc, registerLive, resolveNamespace, resolveToken } from "./query-sources.js";

/** Where the command writes. */
export interface CommandIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
}

interface Flags {
  asOf?: string;
  live?: boolean;
  format: OutputFormat;
  dataDir: string;
  namespace?: string;
  gatewayUrl: string;
  gatewayId?: string;
  token?: string;
  includeInternal?: boolean;
  cacheDir?: string;
}

function program(io: CommandIO): Command {
  return new Command("lakesync-query")
    .description("SQL over the LakeSync lake (DuckDB), live or as of any moment")
    .argument("<sql>", "the SQL to run; each table of the namespace is a view")
    .option(
      "--as-of <moment>",
      "an HLC, a snapshot id (or hlc:<n> / snapshot:<n>) or an ISO-8601 time",
    )
    .option("--live", "merge the gateway's unflushed deltas into every table")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["table", "json", "csv"])
        .default("table"),
    )
    .option(
      "--data-dir <dir>",
      "the gateway's data directory",
      io.env?.LAKESYNC_DATA_DIR ?? ".lakesync-data",
    )
    .option("--namespace <ns>", "the lake namespace (default: the only one, else the gateway id)")
    .option(
      "--gateway-url <url>",
      "the gateway, for --live",
      io.env?.LAKESYNC_GATEWAY_URL ?? "http://127.0.0.1:8787",
    )
    .option("--gateway-id <id>", "the gateway id, for --live (default: the namespace)")
    .option(
      "--token <jwt>",
      "an admin token, for --live (default: $LAKESYNC_TOKEN, or a development token)",
    )
    .option("--include-internal", "also show LakeSync's _lakesync_* tables")
    .option("--cache-dir <dir>", "where files of a remote lake are cached")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();
}

/** Runs the command with `argv` (without the node and script paths); resolves to the exit code. */
export async function runQueryCommand(argv: readonly string[], io: CommandIO): Promise<number> {
  const command = program(io);
  try {
    command.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError)
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    throw error;
  }
  const sql = command.args[0] ?? "";
  const flags = command.opts<Flags>();
  const usage = (message: string) => {
    io.err(`lakesync-query: ${message}\n`);
    return 2;
  };
  if (flags.live && flags.asOf !== undefined) return usage("--live and --as-of cannot be combined");
  const asOf = flags.asOf === undefined ? undefined : parseAsOf(flags.asOf);
  if (asOf && !asOf.ok) return usage(asOf.error.message);
  const fail = (error: LakeSyncError) => {
    io.err(`lakesync-query: ${error.code}: ${error.message}\n`);
    return 1;
  };
  const lake = await openLake({ dataDir: flags.dataDir });
  if (!lake.ok) return fail(lake.error);
  try {
    const namespace = await resolveNamespace(lake.value.catalogue, flags.namespace);
    if (!namespace.ok) return fail(namespace.error);
    const moment = asOf?.ok ? asOf.value : undefined;
    const client = await DuckDBClient.open({
      catalogue: lake.value.catalogue,
      location: lake.value.location,
      namespace: namespace.value,
      includeInternal: flags.includeInternal ?? false,
      ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
      ...(moment?.kind === "snapshot" ? { at: { snapshotId: moment.snapshotId } } : {}),
      ...(moment?.kind === "time" ? { at: { asOfTimestampMs: moment.timestampMs } } : {}),
    });
    if (!client.ok) return fail(client.error);
    try {
      const context = { lake: lake.value, namespace: namespace.value, client: client.value };
      if (moment?.kind === "hlc") {
        const registered = await registerAsOfHlc(context, moment.hlc);
        if (!registered.ok) return fail(registered.error);
      }
      if (flags.live) {
        const token = await resolveToken(
          flags.gatewayUrl,
          flags.token ?? io.env?.LAKESYNC_TOKEN,
          io.fetch,
        );
        if (!token.ok) return fail(token.error);
        const registered = await registerLive(context, {
          url: flags.gatewayUrl,
          gatewayId: flags.gatewayId ?? namespace.value.join("."),
          token: token.value,
          ...(io.fetch ? { fetch: io.fetch } : {}),
        });
        if (!registered.ok) return fail(registered.error);
      }
      const result = await client.value.query(sql);
      if (!result.ok) return fail(result.error);
      io.out(formatResult(result.value, flags.format));
      return 0;
    } finally {
      await client.value.close();
    }
  } finally {
    await lake.value.close();
  }
}
