/**
 * @module cli/commands/migrate
 * `lakesync migrate --from <url> --to <url>`: copies a lake's objects to another lake
 * (`file:`, `s3://`; resumable: objects already copied are skipped), or a database's rows to
 * another database (`postgres://`, `mysql://`; the tables of `--schema`; idempotent), through
 * `@lakesync/adapter`'s `migrateAdapter`, with progress.
 */
import { migrateAdapter } from "@lakesync/adapter";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliIO } from "../cli-io.js";
import { type CommandContext, type CommonFlags, withVerbose } from "../command-context.js";
import { counted } from "../format-units.js";
import { closeEndpoint, type Endpoint, openEndpoint, readSchemas } from "../migrate-endpoints.js";
import { integerBetween } from "../option-values.js";
import { progressDisplay } from "../progress-display.js";

interface MigrateFlags extends CommonFlags {
  readonly from: string;
  readonly to: string;
  readonly prefix?: string;
  readonly schema?: string;
  readonly table?: string[];
  readonly batchSize?: number;
  readonly json?: boolean;
}

async function copy(
  io: CliIO,
  from: Endpoint,
  to: Endpoint,
  flags: MigrateFlags,
): Promise<Result<void, LakeSyncError>> {
  if (from.kind !== to.kind)
    return Err(
      usageError(
        `cannot migrate from a ${from.kind} to a ${to.kind}: copy lake to lake or database to database`,
      ),
    );
  if (from.kind === "lake" && (flags.schema !== undefined || flags.table !== undefined))
    return Err(usageError("--schema and --table are for databases; lakes copy every object"));
  if (from.kind === "database" && flags.schema === undefined)
    return Err(
      usageError(
        "a database migration needs --schema <file> (the tables' schemas; a gateway's GET /sync/:id/schema answer will do)",
      ),
    );
  if (from.kind === "database" && flags.prefix !== undefined)
    return Err(usageError("--prefix is for lakes; choose database tables with --table"));
  const tables =
    flags.schema === undefined ? undefined : await readSchemas(io, flags.schema, flags.table);
  if (tables && !tables.ok) return tables;
  const display = progressDisplay(io);
  try {
    const report = await migrateAdapter(from.adapter, to.adapter, {
      ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
      ...(tables ? { tables: tables.value } : {}),
      ...(flags.batchSize === undefined ? {} : { batchSize: flags.batchSize }),
      onProgress: (p) => {
        const key = from.kind === "lake" ? "objects" : p.item;
        const label = from.kind === "lake" ? "copy objects" : `copy rows of ${p.item}`;
        display.update(
          key,
          label,
          p.copied + p.skipped,
          p.total,
          from.kind === "lake" ? p.item : "",
        );
      },
    });
    display.stop();
    if (!report.ok) return report;
    const { copied, skipped } = report.value;
    const unit = from.kind === "lake" ? "object" : "row";
    io.out(
      flags.json
        ? `${JSON.stringify({ from: from.where, to: to.where, copied, skipped })}\n`
        : `${from.where} -> ${to.where}: ${counted(copied, unit)} copied${skipped > 0 ? `, ${skipped} already there` : ""}\n`,
    );
    return Ok(undefined);
  } finally {
    display.stop();
  }
}

async function migrate(io: CliIO, flags: MigrateFlags): Promise<Result<void, LakeSyncError>> {
  const from = openEndpoint(flags.from, io);
  if (!from.ok) return from;
  const to = openEndpoint(flags.to, io);
  if (!to.ok) {
    await closeEndpoint(from.value);
    return to;
  }
  try {
    return await copy(io, from.value, to.value, flags);
  } finally {
    await closeEndpoint(from.value);
    await closeEndpoint(to.value);
  }
}

/** Registers `migrate` on `program`. */
export function registerMigrate(program: Command, context: CommandContext): void {
  const command = program
    .command("migrate")
    .summary("copy a lake or a database to another adapter")
    .description(
      "Copies a lake's objects to another lake (resumable: objects already there are skipped), or the rows of --schema's tables from one database to another (idempotent: migrated values carry the lowest HLC, so live writes at the destination win).",
    )
    .requiredOption("--from <url>", "the source: postgres://, mysql://, file: or s3://bucket")
    .requiredOption("--to <url>", "the destination, of the same kind")
    .option("--prefix <prefix>", "lakes: only objects under this key prefix")
    .option("--schema <file>", "databases: a JSON file of table schemas ({tables: [...]} or [...])")
    .option("--table <name...>", "databases: only these tables of --schema")
    .option(
      "--batch-size <rows>",
      "databases: rows per write (default 1000)",
      integerBetween(1, 100_000),
    )
    .option("--json", "print the report as JSON");
  withVerbose(command)
    .addHelpText(
      "after",
      "\nExamples:\n  lakesync migrate --from file:.lakesync-data/lake --to 's3://my-bucket?endpoint=http://localhost:9000'\n  lakesync migrate --from postgres://postgres@localhost/app --to mysql://root@localhost/app --schema schema.json\nS3 credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; PostgreSQL takes ?schema=<name>.\nExit codes: 0 copied, 1 the copy stopped (re-run to resume), 2 usage error.",
    )
    .action((flags: MigrateFlags) =>
      context.run("migrate", flags, () => migrate(context.io, flags)),
    );
}
