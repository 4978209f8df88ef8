/**
 * @module db/open-engine
 * Choosing and opening the engine that holds a `LocalDB`.
 */
import { Err, type Result } from "@lakesync/core";
import { LocalDBError } from "../errors.js";
import { CLIENTS_DDL } from "./client-refs.js";
import { type OpfsEngineOptions, openOpfsEngine, opfsAvailable } from "./opfs-engine.js";
import { MemorySnapshotStore, type SnapshotStore } from "./snapshot-store.js";
import type { EngineContext, SqlEngine } from "./sql-engine.js";
import { openSqliteWasmEngine } from "./sqlite-wasm-engine.js";
import { openSqlJsEngine, type SqlJsConfig } from "./sqljs-engine.js";

/**
 * Where the database lives: `sql.js` (memory, whole snapshots), `sqlite-wasm` (the official
 * build in memory, whole snapshots; works in Node), `opfs` (a file in the origin private file
 * system, every commit durable; dedicated workers only), or `auto` (`opfs` where it is available,
 * else `sql.js`).
 */
export type LocalDBEngine = "sql.js" | "sqlite-wasm" | "opfs" | "auto";

/** Options for {@link LocalDB.open}. */
export interface LocalDBOptions {
  /** The database name: the key of its snapshot, or its file in OPFS. Defaults to `lakesync`. */
  readonly name?: string;
  /**
   * Where snapshots live; defaults to memory (nothing survives a reload). With OPFS, a snapshot
   * found here on the first open is imported into the file, then deleted.
   */
  readonly snapshots?: SnapshotStore;
  /** The engine; defaults to `sql.js`. */
  readonly engine?: LocalDBEngine;
  /** Passed to sql.js, e.g. `locateFile` to serve `sql-wasm.wasm` from your own origin. */
  readonly sqlJs?: SqlJsConfig;
  /** Options of the OPFS engine. */
  readonly opfs?: OpfsEngineOptions;
  /**
   * Delay before a change is written to the snapshot store (ms). Defaults to 250; a database
   * whose last snapshot took longer to write waits twice that long, so snapshots of a large
   * database never take more than a third of the time. Unused with OPFS.
   */
  readonly persistDebounceMs?: number;
}

const META_DDL = [
  "CREATE TABLE IF NOT EXISTS _lakesync_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
  CLIENTS_DDL,
  "CREATE TABLE IF NOT EXISTS _lakesync_schemas (tbl TEXT PRIMARY KEY NOT NULL, schema TEXT NOT NULL)",
];

/**
 * Opens the engine `options.engine` names (`sql.js` by default) and creates LakeSync's own
 * tables in it.
 */
export async function openEngine(
  options: LocalDBOptions,
): Promise<Result<SqlEngine, LocalDBError>> {
  const context: EngineContext = {
    name: options.name ?? "lakesync",
    snapshots: options.snapshots ?? new MemorySnapshotStore(),
    debounceMs: options.persistDebounceMs ?? 250,
  };
  const engine = options.engine ?? "sql.js";
  const kind = engine === "auto" ? (opfsAvailable() ? "opfs" : "sql.js") : engine;
  const opened =
    kind === "opfs"
      ? await openOpfsEngine(context, options.opfs)
      : kind === "sqlite-wasm"
        ? await openSqliteWasmEngine(context)
        : await openSqlJsEngine(context, options.sqlJs);
  if (!opened.ok) return opened;
  try {
    for (const ddl of META_DDL) opened.value.exec(ddl);
    return opened;
  } catch (cause) {
    opened.value.close();
    return Err(new LocalDBError(`cannot open local database "${context.name}"`, { cause }));
  }
}
