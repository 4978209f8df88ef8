/**
 * @module commit/snapshot-summary
 * The summary of a new snapshot (spec Appendix F, "Optional Snapshot Summary Fields"): what it
 * added and removed, and the table's running totals, computed like the reference
 * implementation: `added-*`/`removed-*` counters only when non-zero, `total-*` from the
 * parent's totals (omitted when the parent did not record one).
 */
import type { DataFile } from "../iceberg/content-file.js";
import { partitionKey } from "../iceberg/partition.js";

/** Summary key under which LakeSync stores a commit's idempotency key. */
export const COMMIT_KEY_PROPERTY = "lakesync.commit-key";

/** What a snapshot changed, for its summary. */
export interface SnapshotChanges {
  readonly added: readonly DataFile[];
  readonly removed: readonly DataFile[];
  readonly manifestsCreated: number;
  readonly manifestsKept: number;
  readonly manifestsReplaced: number;
}

interface Counts {
  dataFiles: number;
  deleteFiles: number;
  equalityDeleteFiles: number;
  positionDeleteFiles: number;
  records: number;
  equalityDeletes: number;
  positionDeletes: number;
  size: number;
}

function count(files: readonly DataFile[]): Counts {
  const c: Counts = {
    dataFiles: 0,
    deleteFiles: 0,
    equalityDeleteFiles: 0,
    positionDeleteFiles: 0,
    records: 0,
    equalityDeletes: 0,
    positionDeletes: 0,
    size: 0,
  };
  for (const f of files) {
    c.size += f.fileSizeInBytes;
    if (f.content === 0) {
      c.dataFiles++;
      c.records += f.recordCount;
    } else {
      c.deleteFiles++;
      if (f.content === 2) {
        c.equalityDeleteFiles++;
        c.equalityDeletes += f.recordCount;
      } else {
        c.positionDeleteFiles++;
        c.positionDeletes += f.recordCount;
      }
    }
  }
  return c;
}

/**
 * The summary of a snapshot making `changes` on top of a parent with `parentSummary`
 * (`undefined` for the first snapshot). `extra` keys come first; computed keys and `operation`
 * win over them.
 */
export function snapshotSummary(
  operation: string,
  changes: SnapshotChanges,
  parentSummary: Readonly<Record<string, string>> | undefined,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> & { operation: string } {
  const added = count(changes.added);
  const removed = count(changes.removed);
  const out: Record<string, string> = { ...extra };
  const setIf = (key: string, value: number) => {
    if (value > 0) out[key] = String(value);
  };
  setIf("added-data-files", added.dataFiles);
  setIf("deleted-data-files", removed.dataFiles);
  setIf("added-delete-files", added.deleteFiles);
  setIf("added-equality-delete-files", added.equalityDeleteFiles);
  setIf("added-position-delete-files", added.positionDeleteFiles);
  setIf("removed-delete-files", removed.deleteFiles);
  setIf("removed-equality-delete-files", removed.equalityDeleteFiles);
  setIf("removed-position-delete-files", removed.positionDeleteFiles);
  setIf("added-records", added.records);
  setIf("deleted-records", removed.records);
  setIf("added-files-size", added.size);
  setIf("removed-files-size", removed.size);
  setIf("added-equality-deletes", added.equalityDeletes);
  setIf("removed-equality-deletes", removed.equalityDeletes);
  setIf("added-position-deletes", added.positionDeletes);
  setIf("removed-position-deletes", removed.positionDeletes);
  const partitions = new Set(
    [...changes.added, ...changes.removed].map((f) => partitionKey(f.partition)),
  );
  out["changed-partition-count"] = String(partitions.size);
  const total = (key: string, delta: number) => {
    const base = parentSummary === undefined ? 0 : Number(parentSummary[key]);
    if (Number.isSafeInteger(base)) out[key] = String(Math.max(0, base + delta));
  };
  total("total-data-files", added.dataFiles - removed.dataFiles);
  total("total-delete-files", added.deleteFiles - removed.deleteFiles);
  total("total-records", added.records - removed.records);
  total("total-files-size", added.size - removed.size);
  total("total-equality-deletes", added.equalityDeletes - removed.equalityDeletes);
  total("total-position-deletes", added.positionDeletes - removed.positionDeletes);
  out["manifests-created"] = String(changes.manifestsCreated);
  out["manifests-kept"] = String(changes.manifestsKept);
  out["manifests-replaced"] = String(changes.manifestsReplaced);
  return { ...out, operation };
}
