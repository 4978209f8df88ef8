/**
 * @module cli/commands/status
 * `lakesync status [gateway] [--url] [--token] [--json]`: a running gateway's counters
 * (`GET /admin/stats/:id`) as a readable table, or as JSON for scripts.
 */
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { Command } from "commander";
import type { CliIO } from "../cli-io.js";
import {
  type CommandContext,
  type GatewayFlags,
  withGatewayOptions,
  withVerbose,
} from "../command-context.js";
import { formatBytes } from "../format-units.js";
import { adminCall, adminSession } from "../gateway-admin.js";

interface StatusFlags extends GatewayFlags {
  readonly json?: boolean;
}

/** The gateway's counters (`GatewayStats`), as far as the table shows them. */
type Stats = Readonly<Record<string, unknown>>;

/** The counters the table knows: key, label and, for those shown even when absent, how. */
const ROWS: readonly [key: string, label: string, show?: (value: unknown) => string][] = [
  ["bufferedDeltas", "buffered deltas"],
  ["bufferedBytes", "buffered bytes", (v) => (typeof v === "number" ? formatBytes(v) : String(v))],
  ["logEntries", "log entries"],
  ["rows", "rows"],
  // JSON leaves out an error that is `undefined`: absent means none.
  ["lastFlushError", "last flush error", (v) => (v ? String(v) : "none")],
  ["lastLogRewriteError", "last log rewrite error", (v) => (v ? String(v) : "none")],
];

/** The stats as a two-column table, known counters first, then any others the gateway adds. */
export function statusTable(gatewayId: string, url: string, stats: Stats): string {
  const lines: [string, string][] = [
    ["gateway", gatewayId],
    ["url", url],
  ];
  for (const [key, label, show] of ROWS)
    if (show || key in stats) lines.push([label, show ? show(stats[key]) : String(stats[key])]);
  for (const [key, value] of Object.entries(stats))
    if (!ROWS.some(([known]) => known === key))
      lines.push([key, typeof value === "object" ? JSON.stringify(value) : String(value)]);
  const width = Math.max(...lines.map(([label]) => label.length));
  return `${lines.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join("\n")}\n`;
}

async function status(
  io: CliIO,
  gatewayId: string,
  flags: StatusFlags,
): Promise<Result<void, LakeSyncError>> {
  const session = await adminSession(io, flags);
  if (!session.ok) return session;
  const answer = await adminCall(
    session.value,
    "GET",
    `/admin/stats/${encodeURIComponent(gatewayId)}`,
    `reading the stats of ${gatewayId}`,
  );
  if (!answer.ok) return answer;
  const stats: Stats =
    typeof answer.value === "object" && answer.value !== null ? (answer.value as Stats) : {};
  io.out(
    flags.json
      ? `${JSON.stringify({ gatewayId, url: session.value.url, ...stats }, null, 2)}\n`
      : statusTable(gatewayId, session.value.url, stats),
  );
  return Ok(undefined);
}

/** Registers `status` on `program`. */
export function registerStatus(program: Command, context: CommandContext): void {
  const command = program
    .command("status")
    .summary("show a running gateway's counters")
    .description(
      "Shows a running gateway's counters (GET /admin/stats/:id): buffered deltas and bytes, log entries, rows, the last flush error.",
    )
    .argument("[gateway]", "the gateway id", "todos")
    .option("--json", "print the counters as JSON");
  withVerbose(withGatewayOptions(command, context.io))
    .addHelpText(
      "after",
      "\nExit codes: 0 shown, 1 the gateway refused or could not be reached, 2 usage error.",
    )
    .action((gatewayId: string, flags: StatusFlags) =>
      context.run("status", flags, () => status(context.io, gatewayId, flags)),
    );
}
