/**
 * @module cli/commands/serve
 * `lakesync serve`: the self-hosted gateway (`@lakesync/server`, what `npm start` runs) with the
 * same configuration (environment variables, a JSON file), `--port`, `--host`, `--data-dir` and
 * `--config` laid over it, on the embedded defaults: a SQLite store per gateway and an Iceberg
 * lake on local disk under `.lakesync-data`. The built-in development secret (and `/dev/token`, and the
 * todo app's gateway) only with `--dev`. Prints where it listens; SIGINT or SIGTERM flush and stop.
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import {
  type RunningGateway,
  type ServerConfig,
  startGateway,
  TODO_GATEWAY,
} from "@lakesync/server";
import type { Command } from "commander";
import { usageError } from "../cli-error.js";
import type { CliIO } from "../cli-io.js";
import {
  type CommandContext,
  type ServerFlags,
  withServerOptions,
  withVerbose,
} from "../command-context.js";
import { integerBetween } from "../option-values.js";
import { serverConfig } from "../server-lake.js";

interface ServeFlags extends ServerFlags {
  readonly port?: number;
  readonly host?: string;
  readonly dev?: boolean;
}

/** Resolves when `io.stop` aborts, or on SIGINT/SIGTERM; says which. */
function stopRequested(io: CliIO): Promise<string> {
  const signal = io.stop;
  if (signal)
    return new Promise((resolve) => {
      if (signal.aborted) resolve("stop");
      else signal.addEventListener("abort", () => resolve("stop"), { once: true });
    });
  return new Promise((resolve) => {
    const on = (name: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(name);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

function banner(config: ServerConfig, gateway: RunningGateway): string {
  const { url } = gateway.server;
  const lines = [
    `LakeSync gateway listening on ${url}`,
    `  data: ${config.dataDir} (a SQLite store per gateway); flushes to ${gateway.target.description}`,
  ];
  if (gateway.maintenance)
    lines.push("  lake: compaction and maintenance on (LAKESYNC_COMPACTION=off stops them)");
  if (config.staticDir) lines.push(`  static files: ${config.staticDir} at ${url}/`);
  if (config.devSecret)
    lines.push(
      "  development mode: the built-in JWT secret; never use it in production",
      `  a token:  lakesync token --sub alice   (or curl '${url}/dev/token?sub=alice')`,
      `  flush:    lakesync flush ${TODO_GATEWAY} --url ${url}`,
    );
  lines.push("  stop with Ctrl-C (SIGINT) or SIGTERM: buffered deltas are flushed first");
  return `${lines.join("\n")}\n`;
}

async function serve(io: CliIO, flags: ServeFlags): Promise<Result<void, LakeSyncError>> {
  const config = serverConfig(io, flags);
  if (!config.ok) return config;
  if (config.value.devSecret && !flags.dev)
    return Err(
      usageError(
        "no JWT secret is configured: set LAKESYNC_JWT_SECRET (or LAKESYNC_JWKS_URL), or pass --dev to use the built-in development secret",
      ),
    );
  const started = await startGateway(config.value, { log: (line) => io.err(`${line}\n`) });
  if (!started.ok) return started;
  const gateway = started.value;
  io.out(banner(config.value, gateway));
  const signal = await stopRequested(io);
  io.err(`lakesync serve: ${signal === "stop" ? "stopping" : `${signal} received`}: flushing\n`);
  const closed = await gateway.close();
  if (!closed.ok)
    io.err(`lakesync serve: the final flush failed (kept in the log): ${closed.error.message}\n`);
  io.err("lakesync serve: stopped\n");
  return Ok(undefined);
}

/** Registers `serve` on `program`. */
export function registerServe(program: Command, context: CommandContext): void {
  const command = program
    .command("serve")
    .summary("run the self-hosted gateway")
    .description(
      "Runs the self-hosted LakeSync gateway with the configuration `npm start` reads (environment variables, a JSON file named by --config), on embedded defaults: a SQLite store per gateway and an Iceberg lake on local disk under .lakesync-data. Without a JWT secret it refuses to start unless --dev is given.",
    )
    .option(
      "-p, --port <port>",
      "the port (0 picks a free one; default $PORT or 8787)",
      integerBetween(0, 65_535),
    )
    .option("--host <host>", "the interface to listen on (default $HOST or 127.0.0.1)")
    .option(
      "--dev",
      "development mode: the built-in JWT secret, tokens at /dev/token, the todo app's gateway",
    );
  withVerbose(withServerOptions(command))
    .addHelpText(
      "after",
      "\nEvery setting of `npm start` applies (see @lakesync/server's README): LAKESYNC_LAKE, LAKESYNC_CATALOGUE, LAKESYNC_JWT_SECRET, LAKESYNC_GATEWAYS, LAKESYNC_COMPACTION, ...\nExit codes: 0 stopped cleanly, 1 the server could not start, 2 usage or configuration error.",
    )
    .action((flags: ServeFlags) => context.run("serve", flags, () => serve(context.io, flags)));
}
