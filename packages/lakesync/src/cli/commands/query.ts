/**
 * @module cli/commands/query
 * `lakesync query "SQL" [...]`: the analyst's SQL over the lake. Every argument goes unchanged to
 * `@lakesync/analyst`'s `lakesync-query` command, whose options, output and exit codes (0, 1, 2)
 * it keeps; `lakesync query --help` shows them. The analyst exports the command only as its
 * `bin`, so it runs as a child process: its `dist` build when installed, its source (through
 * tsx, as the monorepo runs) when this module runs from source.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Err, LakeSyncError, Ok, type Result } from "@lakesync/core";
import type { Command } from "commander";
import type { CliIO, ExitCode } from "../cli-io.js";
import { EXIT } from "../cli-io.js";
import type { CommandContext } from "../command-context.js";

/** How to start the analyst's command: the Node arguments before the user's. */
export function analystCommand(): Result<readonly string[], LakeSyncError> {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve("@lakesync/analyst/package.json");
  } catch (cause) {
    return Err(new LakeSyncError("NOT_INSTALLED", "@lakesync/analyst is not installed", { cause }));
  }
  const root = dirname(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    bin?: Record<string, string>;
  };
  const bin = manifest.bin?.["lakesync-query"];
  if (bin === undefined)
    return Err(new LakeSyncError("NOT_INSTALLED", "@lakesync/analyst has no lakesync-query"));
  if (!import.meta.url.endsWith(".ts")) return Ok([join(root, bin)]);
  // From source (the monorepo): the analyst's source, run as the monorepo runs it.
  const source = join(root, bin.replace(/^\.?\/?dist\//, "src/").replace(/\.js$/, ".ts"));
  if (!existsSync(source))
    return Err(new LakeSyncError("NOT_INSTALLED", `cannot find ${source} to run from source`));
  const tsx = pathToFileURL(require.resolve("tsx")).href;
  return Ok(["--conditions=@lakesync/source", "--import", tsx, source]);
}

/** Runs `lakesync-query` with `args` in `io.cwd`, its output forwarded to `io`. */
function runAnalyst(io: CliIO, args: readonly string[]): Promise<ExitCode> {
  const command = analystCommand();
  if (!command.ok) {
    io.err(`lakesync query: ${command.error.message}\n`);
    return Promise.resolve(EXIT.failure);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...command.value, ...args], {
      cwd: io.cwd,
      env: { ...io.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // The analyst names itself `lakesync-query`; its help and errors are shown as this command's.
    const rename = (text: string) => text.replaceAll("lakesync-query", "lakesync query");
    const help = args.includes("--help") || args.includes("-h");
    child.stdout
      .setEncoding("utf8")
      .on("data", (text: string) => io.out(help ? rename(text) : text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => io.err(rename(text)));
    child.once("error", (cause) => {
      io.err(`lakesync query: cannot start the analyst: ${cause.message}\n`);
      resolve(EXIT.failure);
    });
    child.once("close", (code) => {
      resolve(code === EXIT.ok || code === EXIT.usage ? code : EXIT.failure);
    });
  });
}

/** Registers `query` on `program` (which must have positional options enabled). */
export function registerQuery(
  program: Command,
  context: CommandContext,
  outcome: { code: ExitCode },
): void {
  program
    .command("query")
    .summary("SQL over the lake (DuckDB), live or as of any moment")
    .description("Runs the analyst's lakesync-query; `lakesync query --help` lists its options.")
    .argument("[arguments...]", "the SQL and lakesync-query's options")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .action(async (args: string[]) => {
      outcome.code = await runAnalyst(context.io, args);
    });
}
