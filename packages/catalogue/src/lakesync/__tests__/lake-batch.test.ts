import {
  type ColumnDelta,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type RowState,
  type TableSchema,
} from "@lakesync/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import { delta } from "../../testing.js";
import { type IcebergFlushTargetOptions, icebergFlushTarget } from "../iceberg-flush-target.js";
import type { LakeSyncBatch, LakeSyncFlushTarget, LakeSyncLogEntry } from "../lake-batch.js";

/**
 * A copy of `@lakesync/gateway`'s `FlushBatch`, `FlushWritten` and `FlushTarget` (flush/flush-target.ts),
 * which the catalogue may not import. The gateway-server checks the real assignment.
 */
interface GatewayFlushBatch {
  readonly gatewayId: string;
  readonly table: string;
  readonly schema: TableSchema | undefined;
  readonly entries: readonly { readonly seq: HLCTimestamp; readonly delta: RowDelta }[];
  readonly range: { readonly min: HLCTimestamp; readonly max: HLCTimestamp };
  readonly at: Date;
  rowStates(
    rowIds: readonly string[],
  ): Promise<Result<ReadonlyMap<string, RowState>, LakeSyncError>>;
}
interface GatewayFlushWritten {
  readonly paths: readonly string[];
  readonly tables: readonly string[];
  readonly bytes: number;
  readonly commit?: () => Promise<Result<void, LakeSyncError>>;
}
interface GatewayFlushTarget {
  readonly description: string;
  write(batch: GatewayFlushBatch): Promise<Result<GatewayFlushWritten, LakeSyncError>>;
}

describe("the batch and target types", () => {
  it("a batch built from a {seq, delta} list is a LakeSyncBatch", () => {
    const columns: ColumnDelta[] = [{ column: "title", value: "milk" }];
    const entries: LakeSyncLogEntry[] = [
      { seq: 5n as HLCTimestamp, delta: delta("INSERT", "todos", "a", "c", 1n, columns) },
      { seq: 6n as HLCTimestamp, delta: delta("DELETE", "todos", "a", "c", 2n) },
    ];
    const batch: LakeSyncBatch = {
      gatewayId: "gw",
      table: "todos",
      schema: { table: "todos", columns: [{ name: "title", type: "string" }] },
      entries,
      range: { min: 5n as HLCTimestamp, max: 6n as HLCTimestamp },
      at: new Date(0),
      rowStates: async () => Ok(new Map<string, RowState>()),
    };
    expect(batch.entries).toHaveLength(2);
    expectTypeOf<GatewayFlushBatch>().toExtend<LakeSyncBatch>();
  });

  it("the Iceberg target is structurally the gateway's FlushTarget", () => {
    expectTypeOf<LakeSyncFlushTarget>().toExtend<GatewayFlushTarget>();
    const asGatewayTarget = (options: IcebergFlushTargetOptions): GatewayFlushTarget =>
      icebergFlushTarget(options);
    expect(typeof asGatewayTarget).toBe("function");
  });
});
