/**
 * @module do-store
 * The gateway's SQL store in a Durable Object's SQLite storage: a `SqlDriver` over
 * `ctx.storage.sql`, so the Worker runs the same store as the Node host.
 */
import type { SqlDriver, SqlRow, SqlValue } from "@lakesync/gateway";

/** The parts of `DurableObjectStorage` the driver uses. */
export interface DurableStorageLike {
  readonly sql: {
    exec(query: string, ...bindings: unknown[]): { toArray(): Record<string, unknown>[] };
  };
  transactionSync<T>(closure: () => T): T;
}

/** Binds a value as the storage expects (BLOBs as `ArrayBuffer`). */
function bind(value: SqlValue): unknown {
  return value instanceof Uint8Array ? value.slice().buffer : value;
}

/** Reads a value back (BLOBs as `Uint8Array`). */
function read(value: unknown): SqlValue {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === "string" || typeof value === "number" || value === null) return value;
  if (value instanceof Uint8Array) return value;
  return String(value);
}

/**
 * Every statement runs synchronously against the object's SQLite database; writes become
 * durable before the object's response leaves (its output gate), and `transaction` makes a
 * group of them atomic (`transactionSync`).
 */
export function durableObjectSql(storage: DurableStorageLike): SqlDriver {
  return {
    exec(query: string, ...params: SqlValue[]): SqlRow[] {
      const rows = storage.sql.exec(query, ...params.map(bind)).toArray();
      return rows.map((row) => {
        const out: Record<string, SqlValue> = {};
        for (const [key, value] of Object.entries(row)) out[key] = read(value);
        return out;
      });
    },
    transaction<T>(work: () => T): T {
      return storage.transactionSync(work);
    },
  };
}
