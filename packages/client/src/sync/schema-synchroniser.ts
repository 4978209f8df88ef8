/**
 * @module sync/schema-synchroniser
 * Bringing the local tables in line with the gateway's schemas.
 */
import { type LakeSyncError, Ok, type Result, SchemaError, type TableSchema } from "@lakesync/core";
import type { LocalDB } from "../db/local-db.js";
import { registerSchema } from "../db/schema-registry.js";
import type { SyncTransport } from "../transport/sync-transport.js";

const VERSION_KEY = "serverSchemaVersion";

/** What a schema synchronisation changed. */
export interface SchemaSyncReport {
  readonly version: number;
  /** Tables created or grown locally. */
  readonly changed: readonly string[];
}

/**
 * Fetches the gateway's schemas and applies them to the local database: creates missing tables,
 * adds new columns (existing data kept), never drops or retypes anything. A column known locally
 * but not on the server stays (the union is registered). A server type that contradicts the
 * local one is a `SchemaError` naming the column.
 */
export class SchemaSynchroniser {
  readonly #db: LocalDB;
  readonly #transport: SyncTransport;

  constructor(db: LocalDB, transport: SyncTransport) {
    this.#db = db;
    this.#transport = transport;
  }

  /** The version applied last, or -1 before the first synchronisation. */
  get version(): number {
    const stored = this.#db.getMeta(VERSION_KEY);
    return stored.ok && stored.value !== undefined ? Number(stored.value) : -1;
  }

  /** Fetches and applies the server schemas when the transport can provide them. */
  async synchronise(): Promise<Result<SchemaSyncReport, LakeSyncError>> {
    if (!this.#transport.schema) return Ok({ version: this.version, changed: [] });
    const server = await this.#transport.schema();
    if (!server.ok) return server;
    if (server.value.version === this.version) return Ok({ version: this.version, changed: [] });
    const changed: string[] = [];
    for (const table of server.value.tables) {
      const local = this.#db.schemaOf(table.table);
      const merged = mergeSchemas(local, table);
      if (!merged.ok) return merged;
      if (local && merged.value.columns.length === local.columns.length) continue;
      const registered = registerSchema(this.#db, merged.value);
      if (!registered.ok) return registered;
      changed.push(table.table);
    }
    const saved = this.#db.setMeta(VERSION_KEY, String(server.value.version));
    if (!saved.ok) return saved;
    return Ok({ version: server.value.version, changed });
  }
}

function mergeSchemas(
  local: TableSchema | undefined,
  server: TableSchema,
): Result<TableSchema, SchemaError> {
  if (!local) return Ok(server);
  const columns = [...local.columns];
  for (const column of server.columns) {
    const mine = local.columns.find((c) => c.name === column.name);
    if (!mine) columns.push(column);
    else if (mine.type !== column.type)
      return {
        ok: false,
        error: new SchemaError(
          `${server.table}.${column.name} is ${mine.type} locally but ${column.type} on the gateway`,
        ),
      };
  }
  return Ok({ table: local.table, columns });
}
