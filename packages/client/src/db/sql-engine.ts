/**
 * @module db/sql-engine
 * What `LocalDB` needs from a SQLite build, so that it runs unchanged on sql.js (in memory, saved
 * as whole snapshots) and on the official SQLite WebAssembly build (in memory in Node, or in the
 * origin private file system with page-level writes). Only the engine adapters import either.
 */
import type { Result } from "@lakesync/core";
import type { LocalDBError } from "../errors.js";
import type { SnapshotStore } from "./snapshot-store.js";

/** A value as SQLite stores and returns it (integers beyond 2^53 are read as doubles). */
export type SqlValue = number | string | Uint8Array | null;

/** Values bound to a statement's parameters: by position, or by name (`$x`, `:x`, `@x`). */
export type BindParams = SqlValue[] | Record<string, SqlValue> | null;

/** A prepared statement; every method may throw (`LocalDB` turns throws into `Result`s). */
export interface SqlStatement {
  /** Binds the parameters (the statement must be reset). */
  bind(params: BindParams): void;
  /** Advances to the next row; false when there is none. */
  step(): boolean;
  /** The current row as an object keyed by column name. */
  getAsObject(): Record<string, SqlValue>;
  /** The current row as values, in the order of the result columns. */
  get(): SqlValue[];
  /** Makes the statement ready to bind and run again. */
  reset(): void;
  /** Binds, runs to completion and resets. */
  run(params?: BindParams): void;
  /** Releases the statement. */
  free(): void;
}

/** How committed changes become durable. */
export interface Persistence {
  /** True while committed changes are not durable yet. */
  readonly pending: boolean;
  /** Called after every committed write. */
  changed(): void;
  /** Resolves once every change committed before the call is durable. */
  flush(): Promise<Result<void, LocalDBError>>;
  /** Makes the last changes durable and stops (the database is about to close). */
  close(): Promise<Result<void, LocalDBError>>;
}

/** One open SQLite database. */
export interface SqlEngine {
  /** Which build runs it and where it is stored, for diagnostics and benchmarks. */
  readonly kind: "sql.js" | "sqlite-wasm" | "opfs";
  /** Prepares one statement (throws on bad SQL). */
  prepare(sql: string): SqlStatement;
  /** Runs one or more statements that take no parameters. */
  exec(sql: string): void;
  /** Calls `listener` with the table of every row a statement inserts, updates or deletes. */
  onUpdate(listener: (table: string) => void): void;
  /** How this engine's committed changes become durable. */
  readonly persistence: Persistence;
  /**
   * Makes room for the database to grow to about `bytes` without copying itself as it grows
   * (sql.js keeps its file in one in-memory array, copied whole at every eighth of growth: most
   * of a large initial sync's time). Statements prepared before are released. Engines whose
   * storage grows in place have no such method. Never inside a transaction.
   */
  reserve?(bytes: number): void;
  /** Releases the database (and its storage handles). */
  close(): void;
}

/** What an engine is opened with. */
export interface EngineContext {
  /** The database's name: its snapshot key, or its file in OPFS. */
  readonly name: string;
  /** Where snapshots are kept (for OPFS: where an older sql.js snapshot is migrated from). */
  readonly snapshots: SnapshotStore;
  /** Delay before a change is written as a snapshot (ms). */
  readonly debounceMs: number;
}

/** Settings shared by the engines that keep the database in memory and save snapshots. */
export const IN_MEMORY_PRAGMAS = [
  // The database lives in memory and is saved as whole snapshots: a rollback journal written
  // to an in-memory file system only costs time (it was the top cost of every write).
  "PRAGMA journal_mode = MEMORY",
  "PRAGMA synchronous = OFF",
  "PRAGMA temp_store = MEMORY",
  // One connection owns the file: without exclusive locking SQLite looks for a hot journal at
  // every transaction, a fifth of the cost of a tracked write.
  "PRAGMA locking_mode = EXCLUSIVE",
];
