/**
 * @module cli/program
 * The `lakesync` command line: `serve`, `token`, `flush`, `status`, `compact`, `expire`, `query`
 * and `migrate` on commander, each with `--help`. {@link runCli} runs one command line in process
 * and resolves to its exit code: 0 ok, 1 the operation failed, 2 usage error (see `cli-io`).
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { type CliIO, EXIT, type ExitCode, processIO } from "./cli-io.js";
import { commandContext } from "./command-context.js";
import { registerCompact } from "./commands/compact.js";
import { registerExpire } from "./commands/expire.js";
import { registerFlush } from "./commands/flush.js";
import { registerMigrate } from "./commands/migrate.js";
import { registerQuery } from "./commands/query.js";
import { registerServe } from "./commands/serve.js";
import { registerStatus } from "./commands/status.js";
import { registerToken } from "./commands/token.js";

/** The version of the `lakesync` package (two folders up from `src/cli` and `dist/cli`). */
function version(): string {
  try {
    const manifest = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version?: unknown };
    return typeof manifest.version === "string" ? manifest.version : "unknown";
  } catch {
    return "unknown";
  }
}

/** The program, with every command registered; its actions record their exit code in `outcome`. */
export function createProgram(io: CliIO, outcome: { code: ExitCode }): Command {
  const program = new Command("lakesync")
    .description(
      "LakeSync: run the self-hosted gateway, mint development tokens, flush and inspect gateways, compact, expire and query the lake, migrate between adapters.",
    )
    .version(version(), "-V, --version")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 the operation failed, 2 usage error. `lakesync <command> --help` describes each command.",
    );
  const context = commandContext(io, outcome);
  registerServe(program, context);
  registerToken(program, context);
  registerFlush(program, context);
  registerStatus(program, context);
  registerCompact(program, context);
  registerExpire(program, context);
  registerQuery(program, context, outcome);
  registerMigrate(program, context);
  return program;
}

/**
 * Runs the command line `argv` (without the node and script paths) and resolves to its exit
 * code. Never throws: usage errors exit 2, failures 1, each reported in words on `io.err`.
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<ExitCode> {
  const outcome: { code: ExitCode } = { code: EXIT.ok };
  const program = createProgram(io, outcome);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return outcome.code;
  } catch (error) {
    // Help and --version end with commander's exit code 0; every other commander error is usage.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.err(
      `lakesync: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.failure;
  }
}
