/**
 * @module maintenance/history-expiry
 * Expiring the delta history beyond its retention without breaking time travel inside it. The
 * history files whose newest delta is older than the horizon (now minus the retention, as an
 * HLC) are folded with core's merge into each row's state as of their deltas, written back as
 * the few deltas that rebuild that state exactly (`rowStateToDeltas`: per-column stamps and
 * tombstones), and replaced in one `overwrite` snapshot. The horizon is recorded first
 * (`HISTORY_RETAINED_FROM_PROPERTY`), so a reader never trusts a history that has already lost
 * deltas. Rows are folded in passes (by a hash of table and row id) so the states of one pass fit
 * the memory budget; a pass that does not fit doubles the passes and starts again.
 */
import {
  type Catalogue,
  commitSnapshot,
  currentSchema,
  defaultSpec,
  deserialiseValue,
  HISTORY_TABLE,
  hashString,
  historyEntryOf,
  historyRowOf,
  type LakeLocation,
  type Namespace,
  planScan,
  type RetryOptions,
  readFileColumns,
  type ScanFile,
  type TableMetadata,
} from "@lakesync/catalogue";
import {
  applyToRowState,
  EMPTY_ROW_STATE,
  Err,
  encodeHLC,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  type RowState,
  rowStateToDeltas,
} from "@lakesync/core";
import {
  type CompactionLimits,
  PARQUET_EXPANSION,
  valueCost,
} from "../compaction/compaction-options.js";
import { OutputFiles } from "../compaction/output-files.js";
import { CompactorError, wrapError } from "../errors.js";
import { type ProgressListener, report } from "../progress.js";
import { HISTORY_RETAINED_FROM_PROPERTY } from "./history-horizon.js";

/** The field id of `hlc` in the history schema. */
const HLC_FIELD_ID = 6;
/** File names of consolidated history files end so. */
const CONSOLIDATED = "-consolidated.parquet";

/** What expiring a namespace's history did. */
export interface HistoryExpiry {
  /** The HLC from which the history answers now (`undefined`: nothing expired). */
  readonly horizon: HLCTimestamp | undefined;
  /** The snapshot committed, if any. */
  readonly snapshotId: number | undefined;
  readonly filesRemoved: number;
  readonly deltasRead: number;
  readonly deltasWritten: number;
  readonly passes: number;
}

/** What {@link expireHistory} needs. */
export interface ExpireHistoryRequest {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly namespace: Namespace;
  /** Deltas older than this many ms are consolidated. */
  readonly retentionMs: number;
  /** Epoch ms now. */
  readonly now: number;
  readonly limits: CompactionLimits;
  readonly uuid?: () => string;
  readonly retry?: RetryOptions;
  readonly onProgress?: ProgressListener;
}

const NOTHING: HistoryExpiry = {
  horizon: undefined,
  snapshotId: undefined,
  filesRemoved: 0,
  deltasRead: 0,
  deltasWritten: 0,
  passes: 0,
};

/** The history files whose every delta is older than `horizon`. */
function expiredFiles(files: readonly ScanFile[], horizon: bigint): ScanFile[] {
  return files.filter((f) => {
    const bytes = f.dataFile.upperBounds?.get(HLC_FIELD_ID);
    const upper = bytes ? deserialiseValue("long", bytes) : undefined;
    return typeof upper === "bigint" && BigInt.asUintN(64, upper) < horizon;
  });
}

/**
 * Expires the history of `namespace` (see the module comment). `Err(CompactorError)`
 * (`MAINTENANCE_FAILED`, the cause is the catalogue's, storage's or reader's error).
 */
export async function expireHistory(
  request: ExpireHistoryRequest,
): Promise<Result<HistoryExpiry, LakeSyncError>> {
  const { catalogue, location, namespace } = request;
  const table = { namespace, name: HISTORY_TABLE };
  const fail = (error: LakeSyncError) =>
    Err(wrapError("MAINTENANCE_FAILED", `expiring the history of ${namespace.join(".")}`, error));
  const horizon = encodeHLC(Math.max(0, request.now - request.retentionMs), 0);
  if (!horizon.ok) return fail(horizon.error);
  const loaded = await catalogue.loadTable(table);
  if (!loaded.ok) return loaded.error.code === "NO_SUCH_TABLE" ? Ok(NOTHING) : fail(loaded.error);
  const scan = await planScan(location, loaded.value.metadata);
  if (!scan.ok) return fail(scan.error);
  const files = expiredFiles(scan.value.dataFiles, horizon.value);
  if (files.every((f) => f.dataFile.filePath.endsWith(CONSOLIDATED))) return Ok(NOTHING);
  const recorded = await recordHorizon(catalogue, table, loaded.value.metadata, horizon.value);
  if (!recorded.ok) return fail(recorded.error);
  const bytes = files.reduce((n, f) => n + f.dataFile.fileSizeInBytes, 0);
  let passes = Math.max(1, Math.ceil((bytes * PARQUET_EXPANSION) / request.limits.outputCostLimit));
  for (;;) {
    const folded = await consolidate(request, recorded.value, files, passes);
    if (!folded.ok) {
      if (folded.error.code === "OVER_BUDGET" && passes < 1 << 16) {
        passes *= 2;
        continue;
      }
      return fail(folded.error);
    }
    const { outputs, deltasRead } = folded.value;
    const committed = await commitSnapshot({
      catalogue,
      location,
      table,
      operation: "overwrite",
      addedFiles: outputs.files,
      removedFiles: files.map((f) => f.dataFile.filePath),
      summary: { [HISTORY_RETAINED_FROM_PROPERTY]: String(horizon.value) },
      ...(request.retry ? { retry: request.retry } : {}),
      now: () => request.now,
    });
    if (!committed.ok) {
      if (committed.error.code !== "COMMIT_STATE_UNKNOWN") await outputs.discard();
      return fail(committed.error);
    }
    return Ok({
      horizon: horizon.value,
      snapshotId: committed.value.snapshot["snapshot-id"],
      filesRemoved: files.length,
      deltasRead,
      deltasWritten: outputs.rowsWritten,
      passes,
    });
  }
}

/** Sets the horizon property when it moves forward; returns the table's metadata after. */
async function recordHorizon(
  catalogue: Catalogue,
  table: { namespace: Namespace; name: string },
  metadata: TableMetadata,
  horizon: HLCTimestamp,
): Promise<Result<TableMetadata, LakeSyncError>> {
  const declared = metadata.properties?.[HISTORY_RETAINED_FROM_PROPERTY];
  if (declared !== undefined && /^\d+$/.test(declared) && BigInt(declared) >= horizon)
    return Ok(metadata);
  const done = await catalogue.commitTable(
    table,
    [{ type: "assert-table-uuid", uuid: metadata["table-uuid"] }],
    [{ action: "set-properties", updates: { [HISTORY_RETAINED_FROM_PROPERTY]: String(horizon) } }],
  );
  return done.ok ? Ok(done.value.metadata) : done;
}

/** Folds `files` in `passes` passes into consolidated history files. */
async function consolidate(
  request: ExpireHistoryRequest,
  metadata: TableMetadata,
  files: readonly ScanFile[],
  passes: number,
): Promise<Result<{ outputs: OutputFiles; deltasRead: number }, LakeSyncError>> {
  const { location, limits } = request;
  const schema = currentSchema(metadata);
  const fields = schema.fields.map((f) => ({ id: f.id, name: f.name }));
  const outputs = new OutputFiles({
    location,
    tableLocation: metadata.location,
    schema,
    spec: defaultSpec(metadata),
    partition: {},
    limits,
    bytesPerRow: 64,
    uuid: request.uuid ?? (() => crypto.randomUUID()),
    compression: "snappy",
    suffix: CONSOLIDATED,
  });
  const fail = async (error: LakeSyncError) => {
    await outputs.discard();
    return Err(error);
  };
  const total = files.reduce((n, f) => n + f.dataFile.recordCount, 0) * passes;
  let done = 0;
  let filesDone = 0;
  let deltasRead = 0;
  let bytesRead = 0;
  for (let pass = 0; pass < passes; pass++) {
    const states = new Map<string, Map<string, { state: RowState; seq: HLCTimestamp }>>();
    let cost = 0;
    for (const file of files) {
      const bytes = await location.read(file.dataFile.filePath);
      if (!bytes.ok) return fail(bytes.error);
      bytesRead += bytes.value.length;
      const read = await readFileColumns(bytes.value, fields);
      if (!read.ok) return fail(read.error);
      const { columns, rowCount } = read.value;
      for (let i = 0; i < rowCount; i++) {
        const row: Record<string, unknown> = {};
        for (const f of fields) row[f.name] = columns.get(f.id)?.[i] ?? null;
        const key = `${String(row.table)}\u0000${String(row.row_id)}`;
        if (passes > 1 && (hashString(key) >>> 0) % passes !== pass) continue;
        const entry = historyEntryOf(row);
        if (!entry.ok) return fail(entry.error);
        const { seq, delta } = entry.value;
        deltasRead++;
        const rows = states.get(delta.table) ?? new Map();
        states.set(delta.table, rows);
        const before = rows.get(delta.rowId);
        if (!before) cost += 160 + valueCost(delta.rowId) + valueCost(delta.clientId);
        for (const c of delta.columns)
          cost += 48 + valueCost(c.column) + valueCost(JSON.stringify(c.value));
        rows.set(delta.rowId, {
          state: applyToRowState(before?.state ?? EMPTY_ROW_STATE, delta),
          seq: before && before.seq > seq ? before.seq : seq,
        });
        if (cost > limits.outputCostLimit)
          return fail(new CompactorError("OVER_BUDGET", `one pass of ${passes} does not fit`));
      }
      done += rowCount;
      filesDone++;
      report(request.onProgress, {
        operation: "expire-history",
        table: `${request.namespace.join(".")}.${HISTORY_TABLE}`,
        files: { done: filesDone, total: files.length * passes },
        rows: { done, total },
        bytes: { read: bytesRead, written: outputs.bytesWritten },
      });
    }
    for (const [table, rows] of states)
      for (const [rowId, { state, seq }] of rows)
        for (const delta of rowStateToDeltas(table, rowId, state)) {
          const row = historyRowOf({ seq, delta });
          const added = await outputs.add(row, 200 + valueCost(String(row.columns)));
          if (!added.ok) return fail(added.error);
        }
  }
  const finished = await outputs.finish();
  if (!finished.ok) return fail(finished.error);
  return Ok({ outputs, deltasRead });
}
