/**
 * @module lakesync/iceberg-flush-target
 * The gateway's flush into the lake layout of ADR-014. `write` makes the three tables ready and
 * writes every Parquet file: for `ns.T` and `ns._lakesync_state_T`, per bucket touched, a data
 * file with the rows' current state and an equality-delete file on `row_id` for every touched row
 * (it applies to older files only, so the new rows survive it); for `ns._lakesync_history`, one
 * file with the batch's deltas. Its commit step commits them as one snapshot per table (state,
 * then table, then history), each with the flush's commit key, so a repeated flush of the same
 * batch commits nothing twice and a retry after a partial failure completes the rest.
 *
 * @example
 * const target = icebergFlushTarget({ catalogue, location, namespace: [gatewayId] });
 * const written = await target.write(batch); // then: await written.value.commit()
 */
import {
  Err,
  FlushError,
  type LakeSyncError,
  Ok,
  type Result,
  type RowState,
  validateTableSchema,
} from "@lakesync/core";
import type { Catalogue, LoadedTable, Namespace, TableIdentifier } from "../catalogue/catalogue.js";
import { commitSnapshot } from "../commit/commit-snapshot.js";
import type { RetryOptions } from "../commit/retry.js";
import type { DataFile } from "../iceberg/content-file.js";
import { currentSchema, UNPARTITIONED_SPEC } from "../iceberg/metadata.js";
import type { LakeLocation } from "../lake/lake-location.js";
import { icebergToTableSchema } from "./column-mapping.js";
import { flushSummary, hasCommitKey, historyCommittedThrough } from "./flush-commits.js";
import { historyRowOf } from "./history-rows.js";
import type { LakeSyncBatch, LakeSyncFlushTarget, LakeSyncFlushWritten } from "./lake-batch.js";
import {
  ensureLakeTable,
  fixedColumnsMissing,
  type LakeTableSetup,
  mainTableSetup,
} from "./lake-table-setup.js";
import {
  DEFAULT_BUCKETS,
  flushCommitKey,
  LAYOUT_PROPERTY,
  lakeTables,
  rowIdBucketSpec,
  TABLE_PROPERTY,
} from "./layout.js";
import { HISTORY_SCHEMA, STATE_SCHEMA } from "./layout-schemas.js";
import { writePartitionedFiles } from "./partitioned-files.js";
import { liveRowOf, stateRowOf } from "./row-state-rows.js";

/** Options of {@link icebergFlushTarget}. */
export interface IcebergFlushTargetOptions {
  readonly catalogue: Catalogue;
  /** The warehouse the tables' files are stored in. */
  readonly location: LakeLocation;
  /**
   * The namespace of the tables, or how to derive it from the flushing gateway's id (one target
   * can serve many gateways). Defaults to `[gatewayId]`.
   */
  readonly namespace?: Namespace | ((gatewayId: string) => Namespace);
  /** Buckets of the `row_id` partition spec of new tables (default 16). */
  readonly buckets?: number;
  /** Whether to keep the raw deltas in `_lakesync_history` (default true). */
  readonly history?: boolean;
  /** Parquet compression (default snappy; zstd files need a zstd codec to be read with hyparquet). */
  readonly compression?: "snappy" | "zstd" | "none";
  /** Clock for snapshot timestamps (epoch ms). */
  readonly now?: () => number;
  /** How commits retry after conflicts (tests turn the back-off off). */
  readonly retry?: RetryOptions;
  /** For logs; defaults to `Iceberg tables in {namespace} ({catalogue})`. */
  readonly description?: string;
  /** Unique file names; defaults to `crypto.randomUUID`. */
  readonly uuid?: () => string;
}

/** One table's part of a flush, written and waiting for its commit. */
interface StagedTable {
  readonly table: TableIdentifier;
  readonly operation: "overwrite" | "append";
  readonly files: readonly DataFile[];
}

/**
 * A flush target writing each batch into the lake layout of ADR-014 (see the module comment).
 * Structurally a `FlushTarget` of `@lakesync/gateway`. `write` returns `Err(FlushError)` (the
 * cause is the underlying error) for an invalid option, a batch that mixes tables, a schema
 * that core's `validateTableSchema` refuses or that conflicts with the Iceberg table's, values
 * that do not fit their columns, or a catalogue or storage failure; so does the commit step.
 */
export function icebergFlushTarget(options: IcebergFlushTargetOptions): LakeSyncFlushTarget {
  return {
    description:
      options.description ??
      `Iceberg tables in ${typeof options.namespace === "object" ? options.namespace.join(".") : "a namespace per gateway"} (${options.catalogue.name})`,
    write: (batch) => writeBatch(options, batch),
  };
}

function problemOf(options: IcebergFlushTargetOptions, batch: LakeSyncBatch): string | undefined {
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  if (!Number.isSafeInteger(buckets) || buckets < 1 || buckets > 0x7fffffff)
    return `buckets must be a positive integer, got ${buckets}`;
  if (batch.entries.length === 0) return "the batch is empty";
  if (batch.entries.some((e) => e.delta.table !== batch.table))
    return "the batch holds deltas of another table";
  if (batch.schema && batch.schema.table !== batch.table)
    return `the batch's schema is for table "${batch.schema.table}"`;
  return undefined;
}

const failure = (table: string, message: string, cause?: LakeSyncError) =>
  Err(
    new FlushError(
      `Iceberg flush of "${table}": ${message}${cause ? ` (${cause.code}: ${cause.message})` : ""}`,
      cause ? { cause } : {},
    ),
  );

/** The tables a flush of `batch` writes, ready: state, table, and history unless turned off. */
async function prepareTables(
  options: IcebergFlushTargetOptions,
  batch: LakeSyncBatch,
  states: readonly RowState[],
): Promise<Result<{ setup: LakeTableSetup; loaded: LoadedTable }[], LakeSyncError>> {
  const { catalogue, location } = options;
  const ids = lakeTables(namespaceOf(options, batch.gatewayId), batch.table);
  const spec = rowIdBucketSpec(options.buckets ?? DEFAULT_BUCKETS);
  const base = { catalogue, location, spec, ...(options.retry ? { retry: options.retry } : {}) };
  const main = mainTableSetup({ ...base, table: ids.main }, batch.schema, states);
  if (!main.ok) return main;
  const setups: LakeTableSetup[] = [
    {
      ...base,
      table: ids.state,
      schema: STATE_SCHEMA,
      newColumns: fixedColumnsMissing(STATE_SCHEMA),
      properties: { [LAYOUT_PROPERTY]: "state", [TABLE_PROPERTY]: batch.table },
    },
    main.value,
  ];
  if (options.history ?? true)
    setups.push({
      ...base,
      table: ids.history,
      schema: HISTORY_SCHEMA,
      spec: UNPARTITIONED_SPEC,
      newColumns: fixedColumnsMissing(HISTORY_SCHEMA),
      properties: { [LAYOUT_PROPERTY]: "history" },
    });
  const out: { setup: LakeTableSetup; loaded: LoadedTable }[] = [];
  for (const setup of setups) {
    const ready = await ensureLakeTable(setup);
    if (!ready.ok) return ready;
    out.push({ setup, loaded: ready.value });
  }
  return Ok(out);
}

async function writeBatch(
  options: IcebergFlushTargetOptions,
  batch: LakeSyncBatch,
): Promise<Result<LakeSyncFlushWritten, LakeSyncError>> {
  const fail = (message: string, cause?: LakeSyncError) => failure(batch.table, message, cause);
  const problem = problemOf(options, batch);
  if (problem) return fail(problem);
  if (batch.schema) {
    const valid = validateTableSchema(batch.schema);
    if (!valid.ok) return fail("invalid table schema", valid.error);
  }
  const rowIds = [...new Set(batch.entries.map((e) => e.delta.rowId))];
  const states = await batch.rowStates(rowIds);
  if (!states.ok) return fail("cannot read the rows' states", states.error);
  const tables = await prepareTables(options, batch, [...states.value.values()]);
  if (!tables.ok) return fail("cannot prepare its tables", tables.error);
  const [state, main, history] = tables.value as [
    { loaded: LoadedTable; setup: LakeTableSetup },
    { loaded: LoadedTable; setup: LakeTableSetup },
    { loaded: LoadedTable; setup: LakeTableSetup } | undefined,
  ];
  const rows = rowsOf(batch, rowIds, states.value, main.loaded);
  if (!rows.ok) return fail("cannot encode the rows", rows.error);
  const key = flushCommitKey(batch.gatewayId, batch.table, batch.range);
  const parquet = { compression: options.compression ?? "snappy" };
  const uuid = options.uuid ?? (() => crypto.randomUUID());
  const staged: StagedTable[] = [];
  const paths: string[] = [];
  let bytes = 0;
  const stage = async (
    { setup, loaded }: { setup: LakeTableSetup; loaded: LoadedTable },
    operation: StagedTable["operation"],
    data: readonly Readonly<Record<string, unknown>>[],
    deletedRowIds?: readonly string[],
  ): Promise<Result<void, LakeSyncError>> => {
    // Committed by an earlier attempt of this flush: nothing to write.
    if (hasCommitKey(loaded.metadata, key)) return Ok(undefined);
    const written = await writePartitionedFiles({
      location: options.location,
      metadata: loaded.metadata,
      rows: data,
      uuid,
      parquet,
      ...(deletedRowIds ? { deletedRowIds } : {}),
    });
    if (!written.ok) return written;
    if (written.value.files.length > 0)
      staged.push({ table: setup.table, operation, files: written.value.files });
    paths.push(...written.value.keys);
    bytes += written.value.bytes;
    return Ok(undefined);
  };
  let done = await stage(state, "overwrite", rows.value.state, rowIds);
  if (done.ok) done = await stage(main, "overwrite", rows.value.live, rowIds);
  if (done.ok && history) {
    const through = historyCommittedThrough(history.loaded.metadata, batch.gatewayId, batch.table);
    const fresh = batch.entries.filter((e) => through === undefined || e.seq > through);
    done = await stage(history, "append", fresh.map(historyRowOf));
  }
  if (!done.ok) return fail("cannot write its files", done.error);
  return Ok({
    paths,
    tables: tables.value.map(({ setup }) => [...setup.table.namespace, setup.table.name].join(".")),
    bytes,
    commit: commitStep(options, batch, key, staged),
  });
}

/** Commits the staged tables in order; a repeated call commits only what is left. */
function commitStep(
  options: IcebergFlushTargetOptions,
  batch: LakeSyncBatch,
  key: string,
  staged: readonly StagedTable[],
): () => Promise<Result<void, LakeSyncError>> {
  const summary = flushSummary(batch.gatewayId, batch.table, batch.range);
  const committed = new Set<StagedTable>();
  return async () => {
    for (const part of staged) {
      if (committed.has(part)) continue;
      const done = await commitSnapshot({
        catalogue: options.catalogue,
        location: options.location,
        table: part.table,
        operation: part.operation,
        addedFiles: part.files,
        commitKey: key,
        summary,
        ...(options.retry ? { retry: options.retry } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      if (!done.ok) return failure(batch.table, `cannot commit ${part.table.name}`, done.error);
      committed.add(part);
    }
    return Ok(undefined);
  };
}

/** The `ns.T` and state rows of the touched rows, or the first value that does not fit. */
function rowsOf(
  batch: LakeSyncBatch,
  rowIds: readonly string[],
  states: ReadonlyMap<string, RowState>,
  main: LoadedTable,
): Result<{ live: Record<string, unknown>[]; state: Record<string, unknown>[] }, LakeSyncError> {
  const { columns } = icebergToTableSchema(batch.table, currentSchema(main.metadata));
  const live: Record<string, unknown>[] = [];
  const state: Record<string, unknown>[] = [];
  for (const rowId of rowIds) {
    const rowState = states.get(rowId);
    if (!rowState) continue;
    const row = liveRowOf(batch.table, rowId, rowState, columns);
    if (!row.ok) return row;
    if (row.value) live.push(row.value);
    const stateRow = stateRowOf(rowId, rowState);
    if (stateRow) state.push({ ...stateRow });
  }
  return Ok({ live, state });
}

/** The namespace a gateway's tables live in. */
export function namespaceOf(
  options: Pick<IcebergFlushTargetOptions, "namespace">,
  gatewayId: string,
): Namespace {
  const { namespace } = options;
  if (namespace === undefined) return [gatewayId];
  return typeof namespace === "function" ? namespace(gatewayId) : namespace;
}
