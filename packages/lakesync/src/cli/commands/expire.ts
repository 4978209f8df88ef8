/**
 * @module cli/commands/expire
 * `lakesync expire [--older-than 5d] [--retain-last 1] [--orphan-age 3d] [--history-retention 30d]`:
 * maintenance of the lake the server of this configuration flushes to (`@lakesync/compactor`'s
 * `MaintenanceRunner`): the delta history beyond its retention is consolidated, old snapshots
 * expire (their files deleted once no retained snapshot references them), and orphan files
 * older than the safety age are removed, crashed writes' temporary files included. The
 * defaults are the server's (`LAKESYNC_SNAPSHOT_MAX_AGE_MS`, ...), which default to Iceberg's.
 */
import {
  type MaintenanceReport,
  MaintenanceRunner,
  type OrphanRemoval,
  type SnapshotExpiry,
} from "@lakesync/compactor";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { lakeMaintenanceOptions } from "@lakesync/server";
import type { Command } from "commander";
import type { CliIO } from "../cli-io.js";
import {
  type CommandContext,
  type ServerFlags,
  withServerOptions,
  withVerbose,
} from "../command-context.js";
import { compactorProgress } from "../compactor-progress.js";
import { counted } from "../format-units.js";
import { integerBetween, parseDuration } from "../option-values.js";
import { onConfiguredLake } from "../server-lake.js";

interface ExpireFlags extends ServerFlags {
  readonly namespace?: string;
  readonly olderThan?: number;
  readonly retainLast?: number;
  readonly orphanAge?: number;
  readonly historyRetention?: number;
  readonly json?: boolean;
}

/** What one namespace's maintenance did, in a line. */
export function maintenanceLine(namespace: string, report: MaintenanceReport): string {
  const sum = (items: readonly SnapshotExpiry[], pick: (s: SnapshotExpiry) => number) =>
    items.reduce((total, s) => total + pick(s), 0);
  const expired = sum(report.snapshots, (s) => s.expired.length);
  const deleted = sum(report.snapshots, (s) => s.filesDeleted);
  const orphans = report.orphans.reduce((n, o: OrphanRemoval) => n + o.removed.length, 0);
  const young = report.orphans.reduce((n, o: OrphanRemoval) => n + o.tooYoung, 0);
  const history = report.history;
  const parts = [
    `${counted(expired, "snapshot")} expired (${counted(deleted, "file")} deleted)`,
    `${counted(orphans, "orphan file")} removed${young > 0 ? ` (${young} too young to remove)` : ""}`,
    history?.snapshotId === undefined
      ? "history within its retention"
      : `history consolidated (${counted(history.deltasRead, "delta")} into ${history.deltasWritten})`,
  ];
  return `${namespace}: ${parts.join("; ")}`;
}

function expire(io: CliIO, flags: ExpireFlags): Promise<Result<void, LakeSyncError>> {
  return onConfiguredLake(io, flags, async ({ config, lake, namespaces, display }) => {
    const runner = new MaintenanceRunner({
      catalogue: lake.catalogue,
      location: lake.location,
      ...lakeMaintenanceOptions(config),
      ...(config.compaction ? { memoryBudgetBytes: config.compaction.memoryBudgetBytes } : {}),
      ...(flags.olderThan === undefined ? {} : { snapshotMaxAgeMs: flags.olderThan }),
      ...(flags.retainLast === undefined ? {} : { retainLastSnapshots: flags.retainLast }),
      ...(flags.orphanAge === undefined ? {} : { orphanMinAgeMs: flags.orphanAge }),
      ...(flags.historyRetention === undefined
        ? {}
        : { historyRetentionMs: flags.historyRetention }),
      onProgress: compactorProgress(display),
    });
    const reports: { namespace: string; report: MaintenanceReport }[] = [];
    for (const namespace of namespaces) {
      const report = await runner.run(namespace);
      if (!report.ok) return report;
      reports.push({ namespace: namespace.join("."), report: report.value });
    }
    display.stop();
    if (flags.json) io.out(`${JSON.stringify(reports, jsonBigints, 2)}\n`);
    else if (reports.length === 0) io.out("nothing to expire: the lake has no tables yet\n");
    else io.out(`${reports.map((r) => maintenanceLine(r.namespace, r.report)).join("\n")}\n`);
    return Ok(undefined);
  });
}

function jsonBigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Registers `expire` on `program`. */
export function registerExpire(program: Command, context: CommandContext): void {
  const command = program
    .command("expire")
    .summary("expire old snapshots, orphan files and old history")
    .description(
      "Maintenance of the lake the server of this configuration flushes to: consolidates the delta history beyond its retention, expires old snapshots (deleting files no retained snapshot references) and removes orphan files older than the safety age. Defaults are the server's, which default to Iceberg's.",
    )
    .option("-n, --namespace <ns>", "only this namespace (a gateway id; default every namespace)")
    .option(
      "--older-than <duration>",
      "expire snapshots older than this, e.g. 5d (default $LAKESYNC_SNAPSHOT_MAX_AGE_MS or 5d)",
      parseDuration,
    )
    .option(
      "--retain-last <count>",
      "keep at least this many snapshots per table (default 1)",
      integerBetween(1, 1_000_000),
    )
    .option(
      "--orphan-age <duration>",
      "remove unreferenced files older than this (default $LAKESYNC_ORPHAN_MIN_AGE_MS or 3d)",
      parseDuration,
    )
    .option(
      "--history-retention <duration>",
      "consolidate history older than this (default $LAKESYNC_HISTORY_RETENTION_MS or 30d)",
      parseDuration,
    )
    .option("--json", "print the maintenance reports as JSON");
  withVerbose(withServerOptions(command))
    .addHelpText(
      "after",
      "\nTime travel reaches back as far as the history and the snapshots kept.\nExit codes: 0 done (or nothing to do), 1 maintenance failed, 2 usage or configuration error.",
    )
    .action((flags: ExpireFlags) => context.run("expire", flags, () => expire(context.io, flags)));
}
