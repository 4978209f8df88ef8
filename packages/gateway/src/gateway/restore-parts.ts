/**
 * @module gateway/restore-parts
 * Rebuilding a gateway's in-memory parts from its durable store when it opens.
 */
import {
  Err,
  HLC,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  type Result,
  ValidationError,
} from "@lakesync/core";
import { DeltaBuffer } from "../buffer/delta-buffer.js";
import type { FlushBuffer } from "../buffer/flush-buffer.js";
import { ChangeLog } from "../log/change-log.js";
import type { Log } from "../log/log.js";
import { Notifier } from "../notify/notifier.js";
import { ReadPermissions } from "../read/read-permissions.js";
import { Registry } from "../registry/registry.js";
import { LogRetention } from "../retention/log-retention.js";
import { RowIndex } from "../state/row-index.js";
import type { RowStates } from "../state/row-states.js";
import type { GatewayStore, StoredGatewayState } from "../store/gateway-store.js";
import { MemoryGatewayStore } from "../store/memory-store.js";
import type { SyncGatewayOptions } from "./options.js";

/** Memory parts rebuilt from a store that replays its log: rows, log and unflushed entries. */
function replay(
  stored: StoredGatewayState,
  now: number,
): { rows: RowIndex; log: ChangeLog; buffer: DeltaBuffer } {
  const rows = new RowIndex();
  const log = new ChangeLog();
  const buffer = new DeltaBuffer();
  for (const delta of stored.rows ?? []) rows.apply(delta);
  if (stored.horizon !== undefined) log.restoreHorizon(stored.horizon);
  for (const entry of stored.entries) rows.apply(entry.delta);
  log.append(stored.entries);
  buffer.append(
    stored.entries.filter((e) => e.seq > stored.flushedThrough),
    now,
  );
  return { rows, log, buffer };
}

/** The parts a gateway works with. */
export interface GatewayParts {
  readonly store: GatewayStore;
  readonly clock: HLC;
  readonly rows: RowStates;
  readonly log: Log;
  readonly buffer: FlushBuffer;
  readonly registry: Registry;
  readonly notifier: Notifier;
  readonly reads: ReadPermissions;
  readonly retention: LogRetention;
}

/**
 * Loads the store and replays it: every durable entry into the row index and the pull log, the
 * unflushed ones into the buffer, the rows of a rewritten log into the row index, schemas and
 * sync rules into the registry; the clock resumes after the newest entry.
 */
export async function restoreParts(
  options: SyncGatewayOptions,
): Promise<Result<{ parts: GatewayParts; flushedThrough: HLCTimestamp }, LakeSyncError>> {
  if (typeof options.gatewayId !== "string" || options.gatewayId.length === 0)
    return Err(new ValidationError("gatewayId must be a non-empty string"));
  const store = options.store ?? new MemoryGatewayStore();
  const loaded = await store.load();
  if (!loaded.ok) return loaded;
  const { entries, flushedThrough, meta } = loaded.value;
  const registry = Registry.restore(
    store,
    meta,
    options.schemaPolicy ?? "strict",
    options.syncRules,
  );
  if (!registry.ok) return registry;
  const now = options.now ?? Date.now;
  // The clock resumes after the newest entry, and after the last rules change (cursors from
  // before it expire: every later seq must be above it).
  const newest = loaded.value.head ?? entries[entries.length - 1]?.seq;
  const rulesSince = registry.value.rulesSince;
  const last =
    rulesSince !== undefined && (newest === undefined || rulesSince > newest) ? rulesSince : newest;
  const clock = new HLC({
    wallClock: now,
    ...(options.maxDriftMs === undefined ? {} : { maxDriftMs: options.maxDriftMs }),
    ...(last === undefined ? {} : { last }),
  });
  const { rows, log, buffer } = loaded.value.indexed ?? replay(loaded.value, now());
  const retention = new LogRetention(
    {
      retention: options.logRetention ?? 1_000_000,
      rewriteAfterTrimmed: options.logRewriteAfterTrimmed ?? options.compactAfterTrimmed ?? 100_000,
    },
    log,
  );
  retention.trim(flushedThrough);
  const parts: GatewayParts = {
    store,
    clock,
    rows,
    log,
    buffer,
    registry: registry.value,
    notifier: new Notifier(),
    reads: new ReadPermissions(() => registry.value.rules, rows),
    retention,
  };
  return Ok({ parts, flushedThrough });
}
