/**
 * What a gateway holds, in miniature (the analyst may not import `@lakesync/gateway`): per
 * table the merged row states (core's merge), a log of the deltas that changed something with
 * increasing sequence numbers, pulls after a cursor in pages, and flushes of each table's
 * buffered entries (all, or a prefix) to the lake through the catalogue's `icebergFlushTarget`.
 */
import {
  icebergFlushTarget,
  type LakeLocation,
  type LakeSyncLogEntry,
  type SqlCatalogue,
} from "@lakesync/catalogue";
import {
  applyToRowState,
  type ColumnDelta,
  type DeltaOp,
  deltaId,
  EMPTY_ROW_STATE,
  Err,
  type HLCTimestamp,
  LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type RowState,
  type TableSchema,
  unwrapOrThrow,
} from "@lakesync/core";
import type { InProcessGateway, PullPage } from "../../index.js";

/** A delta with its id computed. */
export function delta(
  op: DeltaOp,
  table: string,
  rowId: string,
  clientId: string,
  hlc: bigint,
  columns: readonly ColumnDelta[] = [],
): RowDelta {
  const stamp = hlc as HLCTimestamp;
  return {
    op,
    table,
    rowId,
    clientId,
    hlc: stamp,
    columns,
    deltaId: deltaId({ clientId, hlc: stamp, table, rowId, columns }),
  };
}

export class MiniGateway implements InProcessGateway {
  readonly states = new Map<string, Map<string, RowState>>();
  readonly log: LakeSyncLogEntry[] = [];
  readonly buffered = new Map<string, LakeSyncLogEntry[]>();
  syncRules: unknown;
  /** Entries at or below this are trimmed: pulls from before it expire. */
  horizon = 0n;
  #seq = 1_000_000n << 16n;
  readonly #target;

  constructor(
    readonly gatewayId: string,
    lake: { catalogue: SqlCatalogue; location: LakeLocation },
    readonly schemas: ReadonlyMap<string, TableSchema>,
    namespace: readonly string[] = [gatewayId],
  ) {
    this.#target = icebergFlushTarget({
      catalogue: lake.catalogue,
      location: lake.location,
      namespace,
      buckets: 4,
      retry: { backoffMs: () => 0 },
    });
  }

  /** Merges `d`; logs and buffers it when it changed the row. */
  apply(d: RowDelta): boolean {
    const rows = this.states.get(d.table) ?? new Map<string, RowState>();
    this.states.set(d.table, rows);
    const before = rows.get(d.rowId) ?? EMPTY_ROW_STATE;
    const after = applyToRowState(before, d);
    if (after === before) return false;
    rows.set(d.rowId, after);
    const entry = { seq: this.#seq++ as HLCTimestamp, delta: d };
    this.log.push(entry);
    this.buffered.set(d.table, [...(this.buffered.get(d.table) ?? []), entry]);
    return true;
  }

  /** Flushes the first `count` buffered entries of `table` (all by default) and commits them. */
  async flush(table: string, count = Number.POSITIVE_INFINITY): Promise<void> {
    const buffer = this.buffered.get(table) ?? [];
    const entries = buffer.splice(0, Math.min(count, buffer.length));
    if (entries.length === 0) return;
    const first = entries[0] as LakeSyncLogEntry;
    const last = entries[entries.length - 1] as LakeSyncLogEntry;
    const written = unwrapOrThrow(
      await this.#target.write({
        gatewayId: this.gatewayId,
        table,
        schema: this.schemas.get(table),
        entries,
        range: { min: first.seq, max: last.seq },
        at: new Date(0),
        rowStates: async (rowIds) => {
          const out = new Map<string, RowState>();
          for (const rowId of rowIds) {
            const state = this.states.get(table)?.get(rowId);
            if (state) out.set(rowId, state);
          }
          return Ok(out);
        },
      }),
    );
    unwrapOrThrow(await written.commit());
  }

  /** Flushes every table's buffer. */
  async flushAll(): Promise<void> {
    for (const table of [...this.buffered.keys()]) await this.flush(table);
  }

  async handlePull(pull: {
    sinceHlc: HLCTimestamp;
    maxDeltas: number;
  }): Promise<Result<PullPage, LakeSyncError>> {
    return this.logPage(pull.sinceHlc, pull.maxDeltas);
  }

  /** The log after `since`, at most `maxDeltas` entries (the raw log: no sync rules apply). */
  logPage(since: HLCTimestamp, maxDeltas: number): Result<PullPage, LakeSyncError> {
    if (since < this.horizon)
      return Err(new LakeSyncError("CURSOR_EXPIRED", `cursor ${since} is older than the log`));
    const max = maxDeltas === 0 ? 100 : maxDeltas;
    const after = this.log.filter((e) => e.seq > since);
    const page = after.slice(0, max);
    const cursor = page[page.length - 1]?.seq ?? this.log[this.log.length - 1]?.seq ?? since;
    return Ok({
      deltas: page.map((e) => e.delta),
      serverHlc: cursor > since ? cursor : since,
      hasMore: after.length > page.length,
    });
  }
}
