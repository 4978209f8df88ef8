import type { Snapshot, TableMetadata } from "@lakesync/catalogue";
import type { HLCTimestamp } from "@lakesync/core";
import { describe, expect, it } from "vitest";
import { historyRetainedFrom } from "../history-retention.js";

const OLDEST = 65_543n as HLCTimestamp;

/** A history table whose main branch is `summaries`, oldest first. */
function history(...summaries: Snapshot["summary"][]): TableMetadata {
  const snapshots: Snapshot[] = summaries.map((summary, i) => ({
    "snapshot-id": i + 1,
    ...(i === 0 ? {} : { "parent-snapshot-id": i }),
    "sequence-number": i + 1,
    "timestamp-ms": 1000 * (i + 1),
    "manifest-list": `file:///lake/snap-${i + 1}.avro`,
    summary,
  }));
  return {
    "format-version": 2,
    "table-uuid": "00000000-0000-0000-0000-000000000000",
    location: "file:///lake",
    "last-sequence-number": snapshots.length,
    "last-updated-ms": 1000 * snapshots.length,
    "last-column-id": 1,
    schemas: [{ type: "struct", "schema-id": 0, fields: [] }],
    "current-schema-id": 0,
    "partition-specs": [{ "spec-id": 0, fields: [] }],
    "default-spec-id": 0,
    "last-partition-id": 999,
    "current-snapshot-id": snapshots.length,
    snapshots,
    "sort-orders": [{ "order-id": 0, fields: [] }],
    "default-sort-order-id": 0,
  };
}

const flush = { operation: "append", "added-data-files": "1", "added-records": "2" };

describe("historyRetainedFrom", () => {
  it("a compaction of the history (a replace snapshot) loses no deltas: the history still reaches back to the first flush", () => {
    const compacted = history(flush, flush, {
      operation: "replace",
      "added-data-files": "1",
      "deleted-data-files": "2",
      "added-records": "4",
      "deleted-records": "4",
    });
    expect(historyRetainedFrom(compacted, OLDEST)).toBeUndefined();
  });

  it("a snapshot that deleted deltas limits the history to the oldest delta it still holds", () => {
    const pruned = history(flush, flush, { operation: "overwrite", "deleted-records": "1" });
    expect(historyRetainedFrom(pruned, OLDEST)).toBe(OLDEST);
  });
});
