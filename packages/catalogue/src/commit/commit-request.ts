/**
 * @module commit/commit-request
 * What a snapshot commit takes and gives back, and the checks a request must pass before any
 * file is written.
 */
import { Err } from "@lakesync/core";
import type { Catalogue, LoadedTable, TableIdentifier } from "../catalogue/catalogue.js";
import { CatalogueError } from "../errors.js";
import type { AvroCodec } from "../iceberg/avro/avro-container.js";
import type { DataFile } from "../iceberg/content-file.js";
import type { Snapshot } from "../iceberg/types.js";
import type { LakeLocation } from "../lake/lake-location.js";
import type { RetryOptions } from "./retry.js";

/** The snapshot operations of the spec. */
export type SnapshotOperation = "append" | "overwrite" | "replace" | "delete";

/** What {@link commitSnapshot} commits. */
export interface CommitSnapshotRequest {
  readonly catalogue: Catalogue;
  readonly location: LakeLocation;
  readonly table: TableIdentifier;
  /**
   * `append`: data files only. `overwrite`: data and delete files added (a LakeSync flush) and
   * optionally files removed. `replace`: files rewritten without changing the data (compaction).
   * `delete`: files removed and/or delete files added, no data files.
   */
  readonly operation: SnapshotOperation;
  /** Data and delete files to add, already stored at their `filePath`. */
  readonly addedFiles: readonly DataFile[];
  /** Paths of live files this snapshot removes (their entries become DELETED). */
  readonly removedFiles?: readonly string[];
  /** Extra summary properties. */
  readonly summary?: Readonly<Record<string, string>>;
  /** Idempotency key (LakeSync: gateway id and flushed log range). */
  readonly commitKey?: string;
  /**
   * The data sequence number the added files' rows belong to, written on their entries instead of
   * inheriting the new snapshot's (a compactor passes the sequence number of the snapshot it read,
   * so equality deletes committed meanwhile still apply to the rewritten rows).
   */
  readonly dataSequenceNumber?: number;
  readonly retry?: RetryOptions;
  /** Avro codec of manifests and the manifest list (default `null`). */
  readonly codec?: AvroCodec;
  /** Clock for the snapshot timestamp (epoch ms); default `Date.now`. */
  readonly now?: () => number;
  /** Random source in [0, 1) for snapshot ids; default `Math.random`. */
  readonly random?: () => number;
}

/** A committed snapshot. */
export interface CommittedSnapshot {
  readonly snapshot: Snapshot;
  /** The table after the commit (as loaded, when the commit had already happened). */
  readonly table: LoadedTable;
  /** True when the key was found from an earlier call: this call committed nothing. */
  readonly alreadyCommitted: boolean;
}

const invalid = (message: string) => Err(new CatalogueError("INVALID_INPUT", message));

/** The first problem of a request that does not fit its operation, if any. */
export function checkRequest(r: CommitSnapshotRequest): Err<CatalogueError> | undefined {
  const data = r.addedFiles.filter((f) => f.content === 0).length;
  const deletes = r.addedFiles.length - data;
  const removed = r.removedFiles?.length ?? 0;
  if (!["append", "overwrite", "replace", "delete"].includes(r.operation))
    return invalid(`unknown snapshot operation "${r.operation}"`);
  if (r.operation === "append" && (deletes > 0 || removed > 0))
    return invalid("an append adds data files only; use overwrite for delete files or removals");
  if (r.operation === "delete" && data > 0)
    return invalid("a delete snapshot cannot add data files");
  if (r.commitKey !== undefined && (typeof r.commitKey !== "string" || r.commitKey === ""))
    return invalid("a commit key must be a non-empty string");
  if (
    r.dataSequenceNumber !== undefined &&
    !(Number.isSafeInteger(r.dataSequenceNumber) && r.dataSequenceNumber >= 0)
  )
    return invalid("dataSequenceNumber must be a non-negative integer");
  const paths = new Set(r.addedFiles.map((f) => f.filePath));
  if (paths.size !== r.addedFiles.length) return invalid("a file is added twice");
  return undefined;
}
