/**
 * @module cli/command-context
 * What every command is given: the surroundings, and `run`, which runs the command's body,
 * turns its `Result` into an exit code and puts an error into words (`lakesync <command>: ...`).
 * Also the options several commands share.
 */
import type { LakeSyncError, Result } from "@lakesync/core";
import type { Command } from "commander";
import { describeError, exitCodeOf } from "./cli-error.js";
import { type CliIO, EXIT, type ExitCode } from "./cli-io.js";

/** The options every command has. */
export interface CommonFlags {
  readonly verbose?: boolean;
}

/** What a command registers itself with. */
export interface CommandContext {
  readonly io: CliIO;
  /**
   * Runs `body` for command `name`: `Ok` exits 0, `Err` prints the error in words (with its
   * stack and causes when `verbose`) and exits 1, or 2 for a usage error. An exception (a bug)
   * is reported the same way and exits 1.
   */
  run(
    name: string,
    flags: CommonFlags,
    body: () => Promise<Result<void, LakeSyncError>>,
  ): Promise<void>;
}

/** A context whose `run` records the exit code in `outcome`. */
export function commandContext(io: CliIO, outcome: { code: ExitCode }): CommandContext {
  return {
    io,
    async run(name, flags, body) {
      const verbose = flags.verbose ?? false;
      try {
        const result = await body();
        if (result.ok) {
          outcome.code = EXIT.ok;
          return;
        }
        io.err(`lakesync ${name}: ${describeError(result.error, verbose)}\n`);
        outcome.code = exitCodeOf(result.error);
      } catch (error) {
        io.err(`lakesync ${name}: unexpected failure: ${describeError(error, verbose)}\n`);
        if (!verbose) io.err("(run again with --verbose for the stack trace)\n");
        outcome.code = EXIT.failure;
      }
    },
  };
}

/** Adds `--verbose` to `command`. */
export function withVerbose(command: Command): Command {
  return command.option("-v, --verbose", "on failure, print the error's code, stack and causes");
}

/** The gateway options of `flush` and `status`. */
export interface GatewayFlags extends CommonFlags {
  readonly url: string;
  readonly token?: string;
}

/** Adds `--url` and `--token` (defaults from `LAKESYNC_GATEWAY_URL`, `LAKESYNC_TOKEN`). */
export function withGatewayOptions(command: Command, io: CliIO): Command {
  return command
    .option(
      "-u, --url <url>",
      "the gateway (default $LAKESYNC_GATEWAY_URL or http://127.0.0.1:8787)",
      io.env.LAKESYNC_GATEWAY_URL ?? "http://127.0.0.1:8787",
    )
    .option(
      "-t, --token <jwt>",
      "an admin token (default $LAKESYNC_TOKEN, else a development token from the gateway)",
    );
}

/** The server options of `serve`, `compact` and `expire`. */
export interface ServerFlags extends CommonFlags {
  readonly dataDir?: string;
  readonly config?: string;
}

/** Adds `--data-dir` and `--config`, which map onto `LAKESYNC_DATA_DIR` and `LAKESYNC_CONFIG`. */
export function withServerOptions(command: Command): Command {
  return command
    .option(
      "-d, --data-dir <dir>",
      "the data directory: the gateways' stores, local lake, catalogue (default $LAKESYNC_DATA_DIR or .lakesync-data)",
    )
    .option("-c, --config <file>", "a JSON configuration file (default $LAKESYNC_CONFIG)");
}
