/**
 * @module cli/commands/compact
 * `lakesync compact [--namespace <ns>] [--table <name>]`: compacts the lake the server of this
 * configuration flushes to (`@lakesync/compactor`'s `Compactor`): every synced table's small
 * data files and equality deletes are folded into base files, each table in one `replace`
 * snapshot, with a progress bar per table. Safe while the gateway runs (commits are
 * compare-and-swap; a compaction re-plans when a flush wins the race).
 */
import { Compactor, type SyncedTableCompaction, type TableCompaction } from "@lakesync/compactor";
import { type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { Command } from "commander";
import type { CliIO } from "../cli-io.js";
import {
  type CommandContext,
  type ServerFlags,
  withServerOptions,
  withVerbose,
} from "../command-context.js";
import { compactorProgress } from "../compactor-progress.js";
import { counted, formatBytes } from "../format-units.js";
import { parseBytes } from "../option-values.js";
import { onConfiguredLake } from "../server-lake.js";

interface CompactFlags extends ServerFlags {
  readonly namespace?: string;
  readonly table?: string;
  readonly targetFileSize?: number;
  readonly memory?: number;
  readonly json?: boolean;
}

/** One line per compacted table: what was folded into what. */
export function compactionLine(done: TableCompaction): string {
  if (done.snapshotId === undefined) return `${done.table}: nothing to compact`;
  const inputs = [counted(done.dataFilesRewritten, "data file")];
  if (done.deleteFilesRemoved > 0) inputs.push(counted(done.deleteFilesRemoved, "delete file"));
  const skipped = done.skipped.length > 0 ? `; ${counted(done.skipped.length, "file")} left` : "";
  return `${done.table}: ${inputs.join(" and ")} into ${counted(done.filesWritten, "file")} (${counted(done.rowsWritten, "row")}, ${formatBytes(done.bytesWritten)})${skipped}`;
}

function compact(io: CliIO, flags: CompactFlags): Promise<Result<void, LakeSyncError>> {
  return onConfiguredLake(io, flags, async ({ config, lake, namespaces, display }) => {
    const settings = config.compaction;
    const compactor = new Compactor({
      catalogue: lake.catalogue,
      location: lake.location,
      ...(settings ? { targetFileBytes: settings.targetFileBytes } : {}),
      ...(settings ? { memoryBudgetBytes: settings.memoryBudgetBytes } : {}),
      ...(flags.targetFileSize === undefined ? {} : { targetFileBytes: flags.targetFileSize }),
      ...(flags.memory === undefined ? {} : { memoryBudgetBytes: flags.memory }),
      onProgress: compactorProgress(display),
    });
    const results: TableCompaction[] = [];
    for (const namespace of namespaces) {
      if (flags.table !== undefined) {
        const done = await compactor.compact(namespace, flags.table);
        if (!done.ok) return done;
        results.push(done.value.state, done.value.main);
        continue;
      }
      const done = await compactor.compactNamespace(namespace);
      if (!done.ok) return done;
      results.push(
        ...done.value.tables.flatMap((t: SyncedTableCompaction) => [t.state, t.main]),
        ...(done.value.history ? [done.value.history] : []),
      );
    }
    display.stop();
    if (flags.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
    else if (results.length === 0) io.out("nothing to compact: the lake has no tables yet\n");
    else io.out(`${results.map(compactionLine).join("\n")}\n`);
    return Ok(undefined);
  });
}

/** Registers `compact` on `program`. */
export function registerCompact(program: Command, context: CommandContext): void {
  const command = program
    .command("compact")
    .summary("compact the lake's tables")
    .description(
      "Compacts the Iceberg tables of the lake the server of this configuration flushes to: small data files and equality deletes are folded into base files at the target size, each table in one snapshot. Safe while the gateway runs.",
    )
    .option("-n, --namespace <ns>", "only this namespace (a gateway id; default every namespace)")
    .option("--table <name>", "only this synced table")
    .option(
      "--target-file-size <bytes>",
      "the size compacted files aim at, e.g. 128MiB (default $LAKESYNC_COMPACTION_TARGET_BYTES or 128MiB)",
      parseBytes,
    )
    .option(
      "--memory <bytes>",
      "the memory budget, e.g. 512MiB (default $LAKESYNC_COMPACTION_MEMORY_BYTES or 96MiB)",
      parseBytes,
    )
    .option("--json", "print the compaction reports as JSON");
  withVerbose(withServerOptions(command))
    .addHelpText(
      "after",
      "\nThe lake and its catalogue are the server's (LAKESYNC_LAKE, LAKESYNC_CATALOGUE, ...; see `lakesync serve --help`).\nExit codes: 0 compacted (or nothing to do), 1 the compaction failed, 2 usage or configuration error.",
    )
    .action((flags: CompactFlags) =>
      context.run("compact", flags, () => compact(context.io, flags)),
    );
}
