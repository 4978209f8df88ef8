/**
 * @module cli/server-lake
 * The configuration `lakesync serve` runs with (the environment `npm start` reads, with the
 * command's flags laid over it) and the lake it flushes to, opened for `compact` and `expire`
 * through `@lakesync/server`, so that the command line and the server always agree on where the
 * lake and its catalogue are.
 */
import { existsSync } from "node:fs";
import type { Namespace } from "@lakesync/catalogue";
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { loadConfig, openServerLake, type ServerConfig, type ServerLake } from "@lakesync/server";
import { CliError } from "./cli-error.js";
import type { CliIO } from "./cli-io.js";
import type { ServerFlags } from "./command-context.js";
import { type ProgressDisplay, progressDisplay } from "./progress-display.js";

/** Flags that map onto the server's environment variables. */
export interface ServerEnvFlags extends ServerFlags {
  readonly port?: number;
  readonly host?: string;
}

/** `io.env` with the flags laid over it: `--port` is `PORT`, `--data-dir` `LAKESYNC_DATA_DIR`... */
export function serverEnv(
  io: CliIO,
  flags: ServerEnvFlags,
): Readonly<Record<string, string | undefined>> {
  return {
    ...io.env,
    ...(flags.port === undefined ? {} : { PORT: String(flags.port) }),
    ...(flags.host === undefined ? {} : { HOST: flags.host }),
    ...(flags.dataDir === undefined ? {} : { LAKESYNC_DATA_DIR: flags.dataDir }),
    ...(flags.config === undefined ? {} : { LAKESYNC_CONFIG: flags.config }),
  };
}

/** The server's configuration for these flags (`INVALID_CONFIG` names the first bad setting). */
export function serverConfig(
  io: CliIO,
  flags: ServerEnvFlags,
): Result<ServerConfig, LakeSyncError> {
  return loadConfig(serverEnv(io, flags), io.cwd);
}

/** An opened lake with the configuration it came from. */
export interface OpenedServerLake {
  readonly config: ServerConfig;
  readonly lake: ServerLake;
}

/**
 * Opens the lake of the server configured by `flags`. `Err`: `INVALID_CONFIG`, `NO_LAKE` when the
 * data directory's SQLite catalogue does not exist (nothing was flushed there), the catalogue's.
 */
export async function openConfiguredLake(
  io: CliIO,
  flags: ServerFlags,
): Promise<Result<OpenedServerLake, LakeSyncError>> {
  const config = serverConfig(io, flags);
  if (!config.ok) return config;
  const catalogue = config.value.catalogue;
  // Opening a SQLite catalogue creates it: a mistyped --data-dir must not become a new lake.
  if (catalogue.kind === "sqlite" && !existsSync(catalogue.path))
    return Err(
      new CliError(
        "NO_LAKE",
        `no lake in ${config.value.dataDir}: ${catalogue.path} does not exist (start the gateway and let it flush first, or give --data-dir)`,
      ),
    );
  const lake = await openServerLake(config.value);
  if (!lake.ok) return lake;
  return Ok({ config: config.value, lake: lake.value });
}

/** `given` split on dots, or every namespace of the lake's catalogue. */
export async function namespacesOf(
  lake: ServerLake,
  given: string | undefined,
): Promise<Result<Namespace[], LakeSyncError>> {
  if (given !== undefined) return Ok([given.split(".")]);
  const listed = await lake.catalogue.listNamespaces();
  if (!listed.ok) return listed;
  return Ok([...listed.value]);
}

/** What `compact` and `expire` work with: the lake, the namespaces asked for, a progress display. */
export interface LakeWork extends OpenedServerLake {
  readonly namespaces: readonly Namespace[];
  readonly display: ProgressDisplay;
}

/**
 * Opens the configured lake, finds the namespaces (`--namespace`, else all), runs `work`, then
 * stops the progress display and closes the lake whatever happened. `Err` as
 * {@link openConfiguredLake}, the catalogue's, or `work`'s.
 */
export async function onConfiguredLake(
  io: CliIO,
  flags: ServerFlags & { readonly namespace?: string },
  work: (lake: LakeWork) => Promise<Result<void, LakeSyncError>>,
): Promise<Result<void, LakeSyncError>> {
  const opened = await openConfiguredLake(io, flags);
  if (!opened.ok) return opened;
  const display = progressDisplay(io);
  try {
    const namespaces = await namespacesOf(opened.value.lake, flags.namespace);
    if (!namespaces.ok) return namespaces;
    return await work({ ...opened.value, namespaces: namespaces.value, display });
  } finally {
    display.stop();
    await opened.value.lake.close();
  }
}
