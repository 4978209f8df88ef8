/**
 * @module commit/commit-snapshot
 * The writer's commit: one new snapshot on the `main` branch holding files already written.
 * Optimistic concurrency: each attempt plans on the current head, commits with the
 * requirements `assert-table-uuid` and `assert-ref-snapshot-id` (main = the head it planned
 * on), and on `COMMIT_CONFLICT` reloads, re-plans and retries after a short jittered back-off.
 *
 * Exactly once: the caller's idempotency key is stored in the summary
 * (`lakesync.commit-key`). Before every attempt the table's snapshots are searched for the key
 * and for the ids this call tried, so a commit whose response was lost
 * (`COMMIT_STATE_UNKNOWN`, a throw) is found and returned instead of being applied twice. Keys
 * are only found while their snapshot has not been expired.
 *
 * @example
 * const done = await commitSnapshot({
 *   catalogue, location, table: { namespace: ["lake"], name: "todos" },
 *   operation: "overwrite", addedFiles: [data.dataFile, deletes.dataFile],
 *   commitKey: `${gatewayId}:${fromHlc}-${toHlc}`,
 * });
 */
import { Err, type LakeSyncError, Ok, type Result } from "@lakesync/core";
import { CatalogueError } from "../errors.js";
import { currentSnapshot, snapshotById } from "../iceberg/metadata.js";
import { readSnapshotManifests } from "../iceberg/snapshot-files.js";
import type { Snapshot, TableMetadata } from "../iceberg/types.js";
import {
  type CommitSnapshotRequest,
  type CommittedSnapshot,
  checkRequest,
} from "./commit-request.js";
import { type NewManifest, writeAttemptFiles, writeNewManifests } from "./plan-snapshot.js";
import { retryDelay } from "./retry.js";
import { COMMIT_KEY_PROPERTY, snapshotSummary } from "./snapshot-summary.js";

export type {
  CommitSnapshotRequest,
  CommittedSnapshot,
  SnapshotOperation,
} from "./commit-request.js";

function committedBefore(
  metadata: TableMetadata,
  key: string | undefined,
  tried: ReadonlySet<number>,
) {
  return metadata.snapshots?.find(
    (s) =>
      tried.has(s["snapshot-id"]) || (key !== undefined && s.summary[COMMIT_KEY_PROPERTY] === key),
  );
}

async function settle<T>(
  work: () => Promise<Result<T, LakeSyncError>>,
  code: "COMMIT_STATE_UNKNOWN" | "CATALOGUE_UNAVAILABLE",
) {
  try {
    return await work();
  } catch (cause) {
    return Err(
      new CatalogueError(
        code,
        `the catalogue threw: ${(cause as Error)?.message ?? String(cause)}`,
        { cause },
      ),
    );
  }
}

/** What the attempts of one commit share. */
interface AttemptState {
  /** The new manifests, written by the first attempt that got that far. */
  newManifests?: NewManifest[];
  /** Whether some attempt's outcome is unknown (then its files may be in use). */
  uncertain: boolean;
}

/**
 * Commits one snapshot; see the module comment. Returns `Err`: `INVALID_INPUT` for a request
 * that does not fit its operation, files to remove that are not live, or files that do not fit
 * the table's spec; `COMMIT_CONFLICT` when the attempts run out, or when a concurrent commit
 * removed files this one removes (or, for a `replace` without `dataSequenceNumber`, added
 * delete files): the caller re-plans; `COMMIT_STATE_UNKNOWN` when the last outcome is unknown
 * (retrying later with the same key is safe); the catalogue's error otherwise.
 */
export async function commitSnapshot(
  request: CommitSnapshotRequest,
): Promise<Result<CommittedSnapshot, LakeSyncError>> {
  const state: AttemptState = { uncertain: false };
  const result = await runAttempts(request, state);
  // Nothing committed and no attempt possibly applied: the new manifests are orphans.
  if (!result.ok && !state.uncertain && state.newManifests)
    await Promise.all(state.newManifests.map((m) => request.location.delete(m.path)));
  return result;
}

/** The attempts of one commit; `state` tells the caller what is left to clean up. */
async function runAttempts(
  request: CommitSnapshotRequest,
  state: AttemptState,
): Promise<Result<CommittedSnapshot, LakeSyncError>> {
  const bad = checkRequest(request);
  if (bad) return bad;
  const { catalogue, location, table } = request;
  const now = request.now ?? Date.now;
  const random = request.random ?? Math.random;
  const codec = request.codec ?? "null";
  const attempts = Math.max(1, request.retry?.attempts ?? 8);
  const removedPaths = new Set(request.removedFiles ?? []);
  const tried = new Set<number>();
  let firstParentSequence: number | undefined;
  let lastError: LakeSyncError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await retryDelay(attempt, request.retry);
    const loaded = await settle(() => catalogue.loadTable(table), "CATALOGUE_UNAVAILABLE");
    if (!loaded.ok) {
      if (!state.uncertain || loaded.error.code !== "CATALOGUE_UNAVAILABLE") return loaded;
      lastError = loaded.error;
      continue;
    }
    const { metadata } = loaded.value;
    const earlier = committedBefore(metadata, request.commitKey, tried);
    if (earlier)
      return Ok({
        snapshot: earlier,
        table: loaded.value,
        alreadyCommitted: !tried.has(earlier["snapshot-id"]),
      });
    let snapshotId = 0;
    do snapshotId = Math.floor(random() * (2 ** 53 - 2)) + 1;
    while (snapshotById(metadata, snapshotId) || tried.has(snapshotId));
    const parent = currentSnapshot(metadata);
    const sequenceNumber = metadata["last-sequence-number"] + 1;
    if (firstParentSequence === undefined) firstParentSequence = parent?.["sequence-number"] ?? 0;
    else if (request.operation === "replace" && request.dataSequenceNumber === undefined) {
      const manifests = await readSnapshotManifests(location, parent);
      if (!manifests.ok) return manifests;
      if (
        manifests.value.some(
          (m) => m.content === 1 && m.sequenceNumber > (firstParentSequence as number),
        )
      )
        return Err(
          new CatalogueError(
            "COMMIT_CONFLICT",
            "delete files were committed concurrently with this replace: re-plan it",
          ),
        );
    }
    if (!state.newManifests) {
      const written = await writeNewManifests(
        location,
        metadata,
        request.addedFiles,
        request.dataSequenceNumber,
        codec,
      );
      if (!written.ok) return written;
      state.newManifests = written.value;
    }
    const files = await writeAttemptFiles({
      location,
      metadata,
      parent,
      snapshotId,
      sequenceNumber,
      attempt,
      newManifests: state.newManifests,
      removedPaths,
      codec,
    });
    if (!files.ok) return files;
    if (files.value.missing.length > 0) {
      await Promise.all(files.value.written.map((p) => location.delete(p)));
      const message = `files to remove are not live in the table: ${files.value.missing.slice(0, 3).join(", ")}`;
      return Err(new CatalogueError(attempt === 0 ? "INVALID_INPUT" : "COMMIT_CONFLICT", message));
    }
    const summary = snapshotSummary(
      request.operation,
      {
        added: request.addedFiles,
        removed: files.value.removed,
        manifestsCreated: state.newManifests.length + files.value.manifestsReplaced,
        manifestsKept: files.value.manifestsKept,
        manifestsReplaced: files.value.manifestsReplaced,
      },
      parent?.summary,
      {
        ...request.summary,
        ...(request.commitKey === undefined ? {} : { [COMMIT_KEY_PROPERTY]: request.commitKey }),
      },
    );
    const snapshot: Snapshot = {
      "snapshot-id": snapshotId,
      ...(parent ? { "parent-snapshot-id": parent["snapshot-id"] } : {}),
      "sequence-number": sequenceNumber,
      "timestamp-ms": Math.max(now(), metadata["last-updated-ms"]),
      "manifest-list": files.value.manifestList,
      summary,
      "schema-id": metadata["current-schema-id"],
    };
    tried.add(snapshotId);
    const committed = await settle(
      () =>
        catalogue.commitTable(
          table,
          [
            { type: "assert-table-uuid", uuid: metadata["table-uuid"] },
            {
              type: "assert-ref-snapshot-id",
              ref: "main",
              "snapshot-id": parent?.["snapshot-id"] ?? null,
            },
          ],
          [
            { action: "add-snapshot", snapshot },
            {
              action: "set-snapshot-ref",
              "ref-name": "main",
              "snapshot-id": snapshotId,
              type: "branch",
            },
          ],
        ),
      "COMMIT_STATE_UNKNOWN",
    );
    if (committed.ok) return Ok({ snapshot, table: committed.value, alreadyCommitted: false });
    lastError = committed.error;
    if (committed.error.code === "COMMIT_STATE_UNKNOWN") {
      state.uncertain = true;
      continue;
    }
    // A definite failure: this attempt's snapshot id is not in the table.
    tried.delete(snapshotId);
    await Promise.all(files.value.written.map((p) => location.delete(p)));
    if (committed.error.code !== "COMMIT_CONFLICT") return committed;
  }
  if (state.uncertain)
    return Err(
      new CatalogueError(
        "COMMIT_STATE_UNKNOWN",
        `the commit's outcome is unknown after ${attempts} attempts; retry with the same key`,
        {
          cause: lastError,
        },
      ),
    );
  return Err(
    new CatalogueError("COMMIT_CONFLICT", `gave up after ${attempts} conflicting attempts`, {
      cause: lastError,
    }),
  );
}
