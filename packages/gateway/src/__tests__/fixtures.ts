import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdapterError,
  type ColumnValue,
  deltaId,
  Err,
  HLC_ZERO,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type SyncRules,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import type { LakeWriter } from "../flush/flush-target.js";
import type { SyncGatewayOptions } from "../gateway/options.js";
import { SyncGateway } from "../gateway/sync-gateway.js";
import { openNodeSqlite } from "../node/node-sqlite-driver.js";
import type { GatewayStore } from "../store/gateway-store.js";
import { MemoryGatewayStore } from "../store/memory-store.js";
import { SqlGatewayStore } from "../store/sql/sql-gateway-store.js";

/** True when the suite runs over the SQL store (the `gateway-sql` project). */
export const OVER_SQL = process.env.GATEWAY_TEST_STORE === "sql";

/**
 * A fresh store for a test: in memory, or (in the `gateway-sql` project) the SQL store over a
 * SQLite file in a temporary folder with a small row cache, so that reads really go to SQLite
 * and a closed gateway can be opened again over the same store.
 */
export function testStore(): GatewayStore {
  if (!OVER_SQL) return new MemoryGatewayStore();
  const file = join(mkdtempSync(join(tmpdir(), "lakesync-gw-")), "store.sqlite");
  return new SqlGatewayStore(() => openNodeSqlite(file), { cacheRows: 8 });
}

/** A fixed wall clock the tests move by hand. */
export class ManualClock {
  ms = 1_750_000_000_000;
  readonly now = () => this.ms;
}

/** An HLC `offsetMs` after the clock's current time. */
export function hlcAt(clock: ManualClock, offsetMs = 0, counter = 0): HLCTimestamp {
  return ((BigInt(clock.ms + offsetMs) << 16n) | BigInt(counter)) as HLCTimestamp;
}

/** Builds a delta with a correct id. */
export function delta(fields: {
  op?: RowDelta["op"];
  table?: string;
  rowId: string;
  clientId?: string;
  hlc: HLCTimestamp;
  columns?: Record<string, ColumnValue>;
}): RowDelta {
  const table = fields.table ?? "todos";
  const clientId = fields.clientId ?? "client-a";
  const columns = Object.entries(fields.columns ?? {}).map(([column, value]) => ({
    column,
    value,
  }));
  return {
    op: fields.op ?? "INSERT",
    table,
    rowId: fields.rowId,
    clientId,
    columns,
    hlc: fields.hlc,
    deltaId: deltaId({ clientId, hlc: fields.hlc, table, rowId: fields.rowId, columns }),
  };
}

export const TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "owner", type: "string" },
  ],
};

/** A table of todos that may be shared. */
export const SHARED_TODOS: TableSchema = {
  table: "todos",
  columns: [
    { name: "title", type: "string" },
    { name: "done", type: "boolean" },
    { name: "owner", type: "string" },
    { name: "private", type: "boolean" },
  ],
};

/** The todo app's rules: own and shared rows are read; only owners change ownership or delete. */
export const SHARED_RULES: SyncRules = {
  version: 1,
  buckets: [
    {
      name: "own",
      tables: [{ table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] }],
    },
    {
      name: "shared",
      tables: [{ table: "todos", filters: [{ column: "private", op: "eq", value: false }] }],
    },
  ],
  writes: [
    { table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] },
    {
      table: "todos",
      filters: [{ column: "private", op: "eq", value: false }],
      columns: ["title", "done"],
      operations: ["update"],
    },
  ],
};

export const OWNER_RULES: SyncRules = {
  version: 1,
  buckets: [
    {
      name: "own",
      tables: [{ table: "todos", filters: [{ column: "owner", op: "eq", value: "jwt:sub" }] }],
    },
  ],
};

/** An in-memory lake that can be told to fail. */
export class FakeLake implements LakeWriter {
  readonly objects = new Map<string, Uint8Array>();
  failing = false;

  async putObject(path: string, data: Uint8Array): Promise<Result<void, LakeSyncError>> {
    if (this.failing) return Err(new AdapterError("the lake is down"));
    this.objects.set(path, data);
    return Ok(undefined);
  }

  async getObject(path: string): Promise<Result<Uint8Array, LakeSyncError>> {
    const data = this.objects.get(path);
    return data ? Ok(data) : Err(new AdapterError(`no object ${path}`));
  }

  async listObjects(prefix: string) {
    return Ok(
      [...this.objects]
        .filter(([k]) => k.startsWith(prefix))
        .map(([key, v]) => ({ key, size: v.byteLength, lastModified: new Date(0) })),
    );
  }
}

/** Opens a gateway with automatic flushing off and the todos schema registered. */
export async function openGateway(
  options: Partial<SyncGatewayOptions> = {},
  clock = new ManualClock(),
) {
  const gateway = unwrapOrThrow(
    await SyncGateway.open({
      gatewayId: "gw1",
      now: clock.now,
      autoFlush: false,
      store: testStore(),
      ...options,
    }),
  );
  unwrapOrThrow(await gateway.setSchema(TODOS));
  return { gateway, clock };
}

/** Pulls everything a caller may see since a cursor. */
export const pullAll = async (gateway: SyncGateway, since: HLCTimestamp = HLC_ZERO, claims = {}) =>
  unwrapOrThrow(
    await gateway.handlePull({ clientId: "reader", sinceHlc: since, maxDeltas: 0 }, claims),
  );
