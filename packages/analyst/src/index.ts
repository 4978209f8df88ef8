/**
 * @module @lakesync/analyst
 * Reading the lake as an analyst (runtime-neutral: Node, browsers, Workers): `UnionReader` (a
 * table as the lake's latest snapshot merged with the gateway's unflushed deltas),
 * `TimeTraveller` (a table as of a snapshot or an HLC), the delta sources they pull from, and
 * a read-only lake adapter over HTTP for browsers. SQL through DuckDB in Node is
 * `DuckDBClient` in `@lakesync/analyst/node`.
 *
 * @example
 * import { TimeTraveller, UnionReader, httpSource } from "@lakesync/analyst";
 * const union = new UnionReader({ catalogue, location, namespace: ["todos"],
 *   source: httpSource({ url, gatewayId: "todos", token }) });
 * const live = await union.read("todos");
 */
export {
  jsonValue,
  normaliseValue,
  type QueryResult,
  type QueryRow,
  type QueryValue,
  toArrow,
} from "./duckdb/query-result.js";
export { AnalystError, type AnalystErrorCode, isAnalystError } from "./errors.js";
export { HttpLakeAdapter, type HttpLakeAdapterOptions } from "./lake/http-lake-adapter.js";
export { isInternalTable, listLakeTables } from "./lake/lake-tables.js";
export {
  type ChosenSnapshot,
  chooseSnapshot,
  type SnapshotChoice,
} from "./lake/snapshot-choice.js";
export { type AsOf, parseAsOf } from "./time-travel/as-of.js";
export {
  HISTORY_RETAINED_FROM_PROPERTY,
  historyRetainedFrom,
} from "./time-travel/history-retention.js";
export { type TableAsOf, TableHistory } from "./time-travel/table-history.js";
export { TimeTraveller, type TimeTravellerOptions } from "./time-travel/time-traveller.js";
export { flushedThrough } from "./union/flushed-through.js";
export { type HttpSourceOptions, httpSource } from "./union/http-source.js";
export {
  type InProcessGateway,
  type InProcessSourceOptions,
  inProcessSource,
} from "./union/in-process-source.js";
export type { PendingDeltaSource, PullPage } from "./union/pull-page.js";
export { UnionReader, type UnionReaderOptions, type UnionTable } from "./union/union-reader.js";
