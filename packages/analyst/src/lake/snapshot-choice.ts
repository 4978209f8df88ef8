/**
 * @module lake/snapshot-choice
 * Which snapshot of a table a read sees: the current one, one by id, or the one that was current
 * at a moment. A moment before a table's first commit is an empty table (it did not exist yet);
 * a moment or id older than the snapshots the table still keeps is `BEYOND_RETENTION`, never a
 * silently different snapshot.
 */
import {
  currentSnapshot,
  type Snapshot,
  snapshotAsOf,
  snapshotById,
  type TableMetadata,
} from "@lakesync/catalogue";
import { Err, Ok, type Result } from "@lakesync/core";
import { AnalystError } from "../errors.js";

/** The current snapshot (`undefined`), a snapshot by id, or the one current at a moment. */
export type SnapshotChoice =
  | undefined
  | { readonly snapshotId: number }
  | { readonly asOfTimestampMs: number };

/** A resolved choice: the snapshot to read, or `undefined` for an empty table. */
export interface ChosenSnapshot {
  readonly snapshot: Snapshot | undefined;
}

/** The snapshot with no retained parent: the oldest one the table still keeps. */
function oldest(metadata: TableMetadata): Snapshot | undefined {
  let first: Snapshot | undefined;
  for (const s of metadata.snapshots ?? [])
    if (!first || s["timestamp-ms"] < first["timestamp-ms"]) first = s;
  return first;
}

/** True when some of the table's snapshots expired: its oldest kept one has a parent. */
export function hasExpired(metadata: TableMetadata): boolean {
  const first = oldest(metadata);
  return first?.["parent-snapshot-id"] !== undefined && first["parent-snapshot-id"] !== null;
}

function keptSince(metadata: TableMetadata): string {
  const first = oldest(metadata);
  return first ? new Date(first["timestamp-ms"]).toISOString() : "never";
}

/**
 * Resolves `choice` against `metadata` (see the module comment). `Err(AnalystError)`:
 * `BEYOND_RETENTION` for an expired snapshot id or a moment before the oldest kept snapshot of a
 * table whose earlier snapshots expired; `INVALID_INPUT` for an id the table never had.
 */
export function chooseSnapshot(
  metadata: TableMetadata,
  choice: SnapshotChoice,
  table: string,
): Result<ChosenSnapshot, AnalystError> {
  if (choice === undefined) return Ok({ snapshot: currentSnapshot(metadata) });
  if ("snapshotId" in choice) {
    const found = snapshotById(metadata, choice.snapshotId);
    if (found) return Ok({ snapshot: found });
    return Err(
      hasExpired(metadata)
        ? new AnalystError(
            "BEYOND_RETENTION",
            `"${table}" has no snapshot ${choice.snapshotId}: it is unknown or has expired (the oldest kept is from ${keptSince(metadata)})`,
          )
        : new AnalystError("INVALID_INPUT", `"${table}" has no snapshot ${choice.snapshotId}`),
    );
  }
  const at = snapshotAsOf(metadata, choice.asOfTimestampMs);
  const first = oldest(metadata);
  if (at && (!first || at["timestamp-ms"] >= first["timestamp-ms"])) return Ok({ snapshot: at });
  if (!first) return Ok({ snapshot: undefined });
  if (choice.asOfTimestampMs >= first["timestamp-ms"]) {
    // The snapshot log lacks the moment: the newest kept snapshot committed by then.
    let newest: Snapshot = first;
    for (const s of metadata.snapshots ?? [])
      if (
        s["timestamp-ms"] <= choice.asOfTimestampMs &&
        s["timestamp-ms"] >= newest["timestamp-ms"]
      )
        newest = s;
    return Ok({ snapshot: newest });
  }
  if (hasExpired(metadata))
    return Err(
      new AnalystError(
        "BEYOND_RETENTION",
        `"${table}" keeps snapshots from ${keptSince(metadata)} on; ${new Date(choice.asOfTimestampMs).toISOString()} is older (its snapshots expired)`,
      ),
    );
  return Ok({ snapshot: undefined });
}
