/**
 * @module sync/pull-changes
 * Pulling: every page of remote changes after the replica's cursor, each applied in one
 * transaction with the cursor it reaches; an expired cursor starts the replica again from a
 * checkpoint.
 */
import {
  type HLC,
  HLC_ZERO,
  type HLCTimestamp,
  type LakeSyncError,
  Ok,
  parseHLC,
  type Result,
} from "@lakesync/core";
import type { LocalDB } from "../db/local-db.js";
import type { SyncTransport } from "../transport/sync-transport.js";
import { applyRemoteChanges } from "./apply-remote.js";
import { CURSOR_KEY } from "./initial-sync.js";

/** What pulling works with. */
export interface PullParts {
  readonly db: LocalDB;
  readonly transport: SyncTransport;
  readonly clock: HLC;
  readonly clientId: string;
  readonly pageSize: number;
  /** Empties the replica and downloads a checkpoint (the gateway no longer holds our cursor). */
  readonly restart: () => Promise<Result<void, LakeSyncError>>;
}

/** The replica's pull cursor: `HLC_ZERO` when it has none (or an unreadable one). */
export function readCursor(db: LocalDB): HLCTimestamp {
  const stored = db.getMeta(CURSOR_KEY);
  if (!stored.ok || stored.value === undefined || stored.value === "") return HLC_ZERO;
  const parsed = parseHLC(stored.value);
  return parsed.ok ? parsed.value : HLC_ZERO;
}

/**
 * Pulls pages until the gateway has no more. Each page's server HLC is received by the clock
 * before its deltas are applied. A `SCHEMA_MISMATCH` means a table or column the replica does
 * not know yet: the caller fetches the schemas and pulls again.
 */
export async function pullChanges(parts: PullParts): Promise<Result<void, LakeSyncError>> {
  const { transport, clientId, pageSize, db, clock } = parts;
  for (;;) {
    const page = await transport.pull({
      clientId,
      sinceHlc: readCursor(db),
      maxDeltas: pageSize,
    });
    if (!page.ok) {
      if (page.error.code !== "CURSOR_EXPIRED") return page;
      const reset = db.setMeta(CURSOR_KEY, "");
      if (!reset.ok) return reset;
      const restarted = await parts.restart();
      if (!restarted.ok) return restarted;
      continue;
    }
    const seen = clock.recv(page.value.serverHlc);
    if (!seen.ok) return seen;
    const applied = applyRemoteChanges(db, page.value, page.value.serverHlc);
    if (!applied.ok) return applied;
    if (!page.value.hasMore || page.value.deltas.length === 0) return Ok(undefined);
  }
}
