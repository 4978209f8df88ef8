/**
 * @module db/sqlite-wasm-engine
 * The official SQLite WebAssembly build (`@sqlite.org/sqlite-wasm`) behind the engine
 * interface: in memory with snapshots (Node, tests), or on a file in OPFS (see `opfs-engine`).
 */
import { Err, Ok, type Result } from "@lakesync/core";
import type {
  Database,
  PreparedStatement,
  Sqlite3Static,
  SqlValue as WasmValue,
} from "@sqlite.org/sqlite-wasm";
import { LocalDBError } from "../errors.js";
import { CommitPersistence, SnapshotPersistence } from "./snapshot-persistence.js";
import {
  type BindParams,
  type EngineContext,
  IN_MEMORY_PRAGMAS,
  type Persistence,
  type SqlEngine,
  type SqlStatement,
  type SqlValue,
} from "./sql-engine.js";

let module: Promise<Sqlite3Static> | undefined;

/** Loads and initialises the SQLite WebAssembly module once per realm. */
export function loadSqliteWasm(): Promise<Sqlite3Static> {
  module ??= import("@sqlite.org/sqlite-wasm").then(({ default: init }) => init());
  // A failed load may succeed later (e.g. the network came back).
  module.catch(() => {
    module = undefined;
  });
  return module;
}

/** sql.js reads integers beyond 2^53 as doubles; this build as bigints: read them the same. */
function value(raw: WasmValue): SqlValue {
  if (typeof raw === "bigint") return Number(raw);
  if (raw instanceof Uint8Array || raw === null) return raw;
  if (typeof raw === "number" || typeof raw === "string") return raw;
  return new Uint8Array(raw instanceof ArrayBuffer ? raw : raw.buffer);
}

function hasParams(params: BindParams | undefined): params is Exclude<BindParams, null> {
  if (params === null || params === undefined) return false;
  return Array.isArray(params) ? params.length > 0 : Object.keys(params).length > 0;
}

const isInt32 = (n: number) => n === (n | 0);

class WasmStatement implements SqlStatement {
  readonly #statement: PreparedStatement;
  readonly #capi: Sqlite3Static["capi"];

  constructor(statement: PreparedStatement, capi: Sqlite3Static["capi"]) {
    this.#statement = statement;
    this.#capi = capi;
  }

  bind(params: BindParams): void {
    if (!hasParams(params)) return;
    const entries: [number | string, SqlValue][] = Array.isArray(params)
      ? params.map((v, i) => [i + 1, v])
      : Object.entries(params);
    for (const [at, v] of entries) {
      if (typeof v === "number" && !isInt32(v)) this.#bindDouble(at, v);
      else if (typeof at === "number") this.#statement.bind(at, v);
      else this.#statement.bind({ [at]: v });
    }
  }

  /**
   * Binds a number that is not a 32-bit integer as a double, as sql.js does (this build binds an
   * integral one as a 64-bit integer, which wraps beyond 2^63): both engines store the same.
   */
  #bindDouble(at: number | string, v: number): void {
    const capi = this.#capi;
    const pointer = this.#statement.pointer;
    if (pointer === undefined) throw new Error("the statement is finalised");
    const index = typeof at === "number" ? at : capi.sqlite3_bind_parameter_index(pointer, at);
    const rc = capi.sqlite3_bind_double(pointer, index, v);
    if (rc !== 0) throw new Error(`cannot bind parameter ${at} (code ${rc})`);
  }

  step(): boolean {
    return this.#statement.step();
  }

  getAsObject(): Record<string, SqlValue> {
    const row = this.#statement.get({});
    const out: Record<string, SqlValue> = {};
    for (const key of Object.keys(row)) out[key] = value(row[key] ?? null);
    return out;
  }

  get(): SqlValue[] {
    return this.#statement.get([]).map(value);
  }

  reset(): void {
    this.#statement.reset();
  }

  run(params?: BindParams): void {
    this.#statement.reset(true);
    if (params !== undefined) this.bind(params);
    try {
      this.#statement.step();
    } finally {
      this.#statement.reset();
    }
  }

  free(): void {
    this.#statement.finalize();
  }
}

/** A sqlite-wasm database as an engine; `release` runs after it closes (storage handles). */
export class WasmEngine implements SqlEngine {
  readonly kind: "sqlite-wasm" | "opfs";
  readonly persistence: Persistence;
  readonly #db: Database;
  readonly #sqlite3: Sqlite3Static;
  readonly #release: () => void;

  constructor(
    sqlite3: Sqlite3Static,
    db: Database,
    storage:
      | { kind: "sqlite-wasm"; context: EngineContext }
      | { kind: "opfs"; release: () => void },
  ) {
    this.#sqlite3 = sqlite3;
    this.#db = db;
    this.kind = storage.kind;
    if (storage.kind === "opfs") {
      this.persistence = new CommitPersistence();
      this.#release = storage.release;
    } else {
      const { context } = storage;
      this.persistence = new SnapshotPersistence({
        name: context.name,
        store: context.snapshots,
        debounceMs: context.debounceMs,
        exportDb: () => sqlite3.capi.sqlite3_js_db_export(db),
      });
      this.#release = () => {};
    }
  }

  prepare(sql: string): SqlStatement {
    return new WasmStatement(this.#db.prepare(sql), this.#sqlite3.capi);
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  onUpdate(listener: (table: string) => void): void {
    this.#sqlite3.capi.sqlite3_update_hook(
      this.#db,
      (_ctx, _op, _database, table) => listener(table),
      0,
    );
  }

  close(): void {
    try {
      this.#db.close();
    } finally {
      this.#release();
    }
  }
}

/**
 * Opens the database in memory in the SQLite WebAssembly build (works in Node), from its last
 * snapshot when there is one, saved as whole snapshots like sql.js.
 */
export async function openSqliteWasmEngine(
  context: EngineContext,
): Promise<Result<SqlEngine, LocalDBError>> {
  const snapshot = await context.snapshots.load(context.name);
  if (!snapshot.ok) return snapshot;
  try {
    const sqlite3 = await loadSqliteWasm();
    const db = new sqlite3.oo1.DB(":memory:", "c");
    const bytes = snapshot.value;
    if (bytes !== null && bytes.byteLength > 0) {
      const { capi, wasm } = sqlite3;
      const pointer = wasm.allocFromTypedArray(bytes);
      const rc = capi.sqlite3_deserialize(
        db,
        "main",
        pointer,
        bytes.byteLength,
        bytes.byteLength,
        capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE,
      );
      if (rc !== 0) {
        db.close();
        return Err(new LocalDBError(`snapshot "${context.name}" is not a database (code ${rc})`));
      }
    }
    for (const pragma of IN_MEMORY_PRAGMAS) db.exec(pragma);
    return Ok(new WasmEngine(sqlite3, db, { kind: "sqlite-wasm", context }));
  } catch (cause) {
    return Err(new LocalDBError(`cannot open local database "${context.name}"`, { cause }));
  }
}
