/**
 * @module cli/commands/flush
 * `lakesync flush [gateway] [--url] [--token] [--json]`: asks a running gateway to flush its
 * buffered deltas now (`POST /admin/flush/:id`) and says what was written.
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
import { counted, formatBytes } from "../format-units.js";
import { adminCall, adminSession } from "../gateway-admin.js";

interface FlushFlags extends GatewayFlags {
  readonly json?: boolean;
}

/** The part of the gateway's flush report the summary uses. */
interface FlushReport {
  readonly deltaCount?: number;
  readonly through?: string;
  readonly paths?: readonly string[];
  readonly tables?: readonly string[];
  readonly bytes?: number;
}

function summary(gatewayId: string, report: FlushReport): string {
  const count = report.deltaCount ?? 0;
  if (count === 0) return `${gatewayId}: nothing to flush\n`;
  const files = report.paths?.length ?? 0;
  const where = files > 0 ? counted(files, "file") : counted(report.tables?.length ?? 0, "table");
  return `${gatewayId}: flushed ${counted(count, "delta")} (${where}, ${formatBytes(report.bytes ?? 0)}) through HLC ${report.through ?? "?"}\n`;
}

async function flush(
  io: CliIO,
  gatewayId: string,
  flags: FlushFlags,
): Promise<Result<void, LakeSyncError>> {
  const session = await adminSession(io, flags);
  if (!session.ok) return session;
  const answer = await adminCall(
    session.value,
    "POST",
    `/admin/flush/${encodeURIComponent(gatewayId)}`,
    `flushing ${gatewayId}`,
  );
  if (!answer.ok) return answer;
  // An empty buffer is `{flushed: null}`: nothing was written.
  const flushed = (answer.value as { flushed?: FlushReport | null } | null)?.flushed;
  const report: FlushReport = flushed ?? { deltaCount: 0, paths: [], tables: [], bytes: 0 };
  io.out(
    flags.json
      ? `${JSON.stringify({ gatewayId, ...report }, null, 2)}\n`
      : summary(gatewayId, report),
  );
  return Ok(undefined);
}

/** Registers `flush` on `program`. */
export function registerFlush(program: Command, context: CommandContext): void {
  const command = program
    .command("flush")
    .summary("flush a running gateway's buffered deltas now")
    .description(
      "Asks a running gateway to flush its buffered deltas to its target now (POST /admin/flush/:id), with an admin token.",
    )
    .argument("[gateway]", "the gateway id", "todos")
    .option("--json", "print the gateway's flush report as JSON");
  withVerbose(withGatewayOptions(command, context.io))
    .addHelpText(
      "after",
      "\nExit codes: 0 flushed (or nothing to flush), 1 the gateway refused or could not be reached, 2 usage error.",
    )
    .action((gatewayId: string, flags: FlushFlags) =>
      context.run("flush", flags, () => flush(context.io, gatewayId, flags)),
    );
}
