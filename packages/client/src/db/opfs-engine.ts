/**
 * @module db/opfs-engine
 * The database as a file in the origin private file system (the SQLite WebAssembly build's
 * "SAH pool" VFS): SQLite writes only the pages a transaction changed, and every COMMIT is durable
 * when it returns, so persistence costs the same whatever the database's size. Needs a dedicated
 * worker (synchronous access handles exist nowhere else) and one connection per database, which
 * the shared replica's leader lock guarantees.
 */
import { Err, Ok, type Result } from "@lakesync/core";
import type { SAHPoolUtil, Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import { LocalDBError } from "../errors.js";
import type { EngineContext, SqlEngine } from "./sql-engine.js";
import { loadSqliteWasm, WasmEngine } from "./sqlite-wasm-engine.js";

/** Options for {@link openOpfsEngine}. */
export interface OpfsEngineOptions {
  /**
   * How long to keep trying when the storage is still held, e.g. by the worker of a leader tab
   * that is closing (ms). Defaults to 5000.
   */
  readonly retryForMs?: number;
}

const PRAGMAS = [
  // One connection owns the file (the replica's lock): no lock checks around each transaction.
  "PRAGMA locking_mode = EXCLUSIVE",
  // The journal is truncated rather than deleted: a pool file is not given back at each commit.
  "PRAGMA journal_mode = TRUNCATE",
  // Every COMMIT flushes the journal and the database: the outbox relies on it (see `persist`).
  "PRAGMA synchronous = FULL",
  "PRAGMA temp_store = MEMORY",
];

/** True where OPFS synchronous access handles exist (dedicated workers of modern browsers). */
export function opfsAvailable(): boolean {
  const handle = (
    globalThis as { FileSystemFileHandle?: { prototype?: { createSyncAccessHandle?: unknown } } }
  ).FileSystemFileHandle;
  const storage = (globalThis as { navigator?: { storage?: { getDirectory?: unknown } } }).navigator
    ?.storage;
  return (
    typeof handle?.prototype?.createSyncAccessHandle === "function" &&
    typeof storage?.getDirectory === "function"
  );
}

/** A name safe as a VFS name, an OPFS directory and a file name (one-to-one). */
export function opfsFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, (c) => `~${c.codePointAt(0)?.toString(16) ?? ""}~`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Installs (or resumes) the database's own pool. A pool's files can be held by one worker at a
 * time; the worker of a leader that is going away may still hold them for a moment, so a failure
 * is retried with a growing pause until `retryForMs` has passed. A failed install keeps the
 * pool's files (`preserveOnInitFailure`): the default would delete the database.
 */
async function installPool(
  sqlite3: Sqlite3Static,
  name: string,
  retryForMs: number,
): Promise<Result<SAHPoolUtil, LocalDBError>> {
  const vfs = `lakesync-${opfsFileName(name)}`;
  const deadline = Date.now() + retryForMs;
  let pause = 25;
  for (;;) {
    try {
      const options = {
        name: vfs,
        directory: `.${vfs}`,
        preserveOnInitFailure: true,
        forceReinitIfPreviouslyFailed: true,
      };
      const pool = await sqlite3.installOpfsSAHPoolVfs(options);
      return Ok(pool.isPaused() ? await pool.unpauseVfs() : pool);
    } catch (cause) {
      if (Date.now() + pause > deadline) {
        const detail = cause instanceof Error ? cause.message : String(cause);
        return Err(
          new LocalDBError(
            `the local database "${name}" is still in use by another worker after ${retryForMs} ms; close the other tabs of this app and reload (${detail})`,
            { cause },
          ),
        );
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 400);
    }
  }
}

/**
 * Opens the database as a file in OPFS. On the first open, a snapshot that sql.js left in the
 * snapshot store under the same name is imported (a sql.js export is an ordinary SQLite file);
 * the snapshot is deleted only once the import is durable (the pool flushes the file before
 * `importDb` resolves), and on every later open in case a crash came in between.
 */
export async function openOpfsEngine(
  context: EngineContext,
  options: OpfsEngineOptions = {},
): Promise<Result<SqlEngine, LocalDBError>> {
  if (!opfsAvailable()) {
    return Err(new LocalDBError("OPFS synchronous access handles are not available here"));
  }
  let sqlite3: Sqlite3Static;
  try {
    sqlite3 = await loadSqliteWasm();
  } catch (cause) {
    return Err(new LocalDBError("cannot load the SQLite WebAssembly module", { cause }));
  }
  const installed = await installPool(sqlite3, context.name, options.retryForMs ?? 5_000);
  if (!installed.ok) return installed;
  const pool = installed.value;
  const path = `/${opfsFileName(context.name)}.sqlite3`;
  const fail = (error: LocalDBError) => {
    try {
      pool.pauseVfs();
    } catch {
      // The error being reported matters more than a pool left installed.
    }
    return Err(error);
  };
  if (!pool.getFileNames().includes(path)) {
    const snapshot = await context.snapshots.load(context.name);
    if (!snapshot.ok) return fail(snapshot.error);
    if (snapshot.value !== null) {
      try {
        await pool.importDb(path, snapshot.value);
      } catch (cause) {
        return fail(
          new LocalDBError(`cannot import snapshot "${context.name}" into OPFS`, { cause }),
        );
      }
    }
  }
  const removed = await context.snapshots.remove(context.name);
  if (!removed.ok) return fail(removed.error);
  try {
    const db = new pool.OpfsSAHPoolDb(path);
    try {
      for (const pragma of PRAGMAS) db.exec(pragma);
    } catch (cause) {
      db.close();
      throw cause;
    }
    return Ok(new WasmEngine(sqlite3, db, { kind: "opfs", release: () => pool.pauseVfs() }));
  } catch (cause) {
    return fail(
      new LocalDBError(`cannot open local database "${context.name}" in OPFS`, { cause }),
    );
  }
}
