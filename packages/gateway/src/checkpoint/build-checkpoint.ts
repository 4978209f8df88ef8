/**
 * @module checkpoint/build-checkpoint
 * Cutting the gateway's merged rows into checkpoint chunks for a client's initial sync, in two
 * passes over the row states so that no more than one chunk is ever held in memory.
 */
import {
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowDelta,
  type RowState,
  rowStateToDeltas,
} from "@lakesync/core";
import type { CheckpointChunk } from "@lakesync/proto";
import type { RowStates, ScannedRow } from "../state/row-states.js";

/**
 * The default byte budget of one chunk: 4 MiB of deltas is about 15 MB of objects while the
 * chunk is built, well inside a Durable Object's 128 MB.
 */
export const DEFAULT_CHECKPOINT_BUDGET = 4 * 1024 * 1024;

/**
 * Checkpoint deltas carry the placeholder id: they restate merged rows rather than carry writes
 * anyone pushed, a replica applies them by merge (never by id) and never pushes them, and hashing
 * every row's deltas was the largest cost of serving a checkpoint.
 */
const CHECKPOINT_IDS = { ids: false } as const;

/** Rows read from the states per scan. */
const PAGE = 1_000;

/** A checkpoint planned and ready to stream. */
export interface CheckpointPlan {
  /** Pull from here once every chunk is applied. */
  readonly snapshotHlc: HLCTimestamp;
  readonly chunkCount: number;
  /**
   * The chunks in order, each built when asked for. An `Err` (a checkpoint source that could not
   * read what it planned) ends them: the client's initial sync fails and is retried.
   */
  chunks(): AsyncIterableIterator<Result<CheckpointChunk, LakeSyncError>>;
}

/**
 * Every chunk of `plan`, collected in memory (for tests and small tools; a server streams them);
 * the first `Err` met instead.
 */
export async function collectCheckpoint(
  plan: CheckpointPlan,
): Promise<Result<CheckpointChunk[], LakeSyncError>> {
  const chunks: CheckpointChunk[] = [];
  for await (const chunk of plan.chunks()) {
    if (!chunk.ok) return chunk;
    chunks.push(chunk.value);
  }
  return Ok(chunks);
}

/** One chunk's rows: those of `table` with ids in (`after`, `last`]. */
interface Span {
  readonly table: string;
  readonly after: string | undefined;
  readonly last: string;
}

function* rowsOf(
  rows: RowStates,
  table: string,
  after: string | undefined,
  last?: string,
): IterableIterator<ScannedRow> {
  let cursor = after;
  for (;;) {
    const page = rows.scan(table, cursor, PAGE);
    for (const row of page) {
      yield row;
      // Ends by identity, not by comparing ids: the store orders ids its own way (SQLite by
      // UTF-8 bytes), and a row's state is never removed, so `last` is always met.
      if (row.rowId === last) return;
    }
    const end = page[page.length - 1];
    if (!end || page.length < PAGE) return;
    cursor = end.rowId;
  }
}

/**
 * Every row the caller may see (`allowed` judges a row by its table and state; every row when
 * it is `undefined`), as deltas that
 * rebuild each row's exact merged state — per-column stamps, and the tombstone of a deleted
 * row, so that a late write older than the delete cannot resurrect it on a replica that started
 * from this checkpoint — grouped by table and cut into chunks of at most `budgetBytes`
 * (estimated; a single row larger than the budget gets a chunk of its own), numbered across the
 * whole checkpoint. The first pass fixes the chunks' row-id spans; the second builds each chunk
 * when it is read. Rows written between the passes may join a span; the pulls after
 * `snapshotHlc` bring them anyway, and the merge is idempotent. `include` limits the tables
 * (default: every table).
 */
export function planCheckpoint(
  rows: RowStates,
  snapshotHlc: HLCTimestamp,
  allowed: ((table: string, state: RowState) => boolean) | undefined,
  budgetBytes = DEFAULT_CHECKPOINT_BUDGET,
  include: (table: string) => boolean = () => true,
): CheckpointPlan {
  const spans: Span[] = [];
  for (const table of rows.tables()) {
    if (!include(table)) continue;
    let start: string | undefined;
    let last: string | undefined;
    let bytes = 0;
    let previous: string | undefined;
    for (const row of rowsOf(rows, table, undefined)) {
      const { rowId } = row;
      if (!allowed || allowed(table, row.state)) {
        const rowBytes = row.bytes;
        if (last !== undefined && bytes + rowBytes > budgetBytes) {
          spans.push({ table, after: start, last });
          start = previous;
          bytes = 0;
        }
        last = rowId;
        bytes += rowBytes;
      }
      previous = rowId;
    }
    if (last !== undefined) spans.push({ table, after: start, last });
  }
  return {
    snapshotHlc,
    chunkCount: spans.length,
    async *chunks() {
      for (const [chunkIndex, span] of spans.entries()) {
        const deltas: RowDelta[] = [];
        for (const row of rowsOf(rows, span.table, span.after, span.last))
          if (!allowed || allowed(span.table, row.state))
            for (const d of rowStateToDeltas(span.table, row.rowId, row.state, CHECKPOINT_IDS))
              deltas.push(d);
        yield Ok({
          table: span.table,
          payload: { kind: "deltas", deltas },
          chunkIndex,
          chunkCount: spans.length,
          snapshotHlc,
        });
      }
    },
  };
}
