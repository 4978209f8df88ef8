/**
 * @module sync/realtime-inbox
 * Realtime messages as the sync loop receives them: a message carrying deltas that follow on
 * the replica's cursor is applied at once, or kept until the cycle under way ends; anything else
 * (a bare "changed", a gap, a failed apply, too many waiting) asks for a pull.
 */
import type { HLC } from "@lakesync/core";
import type { SyncNotification } from "@lakesync/proto";
import type { LocalDB } from "../db/local-db.js";
import { applyNotification } from "./apply-remote.js";

/** Messages kept during a cycle; beyond them, the next cycle pulls instead. */
const MAX_WAITING = 64;

/** What the inbox needs of the replica. */
export interface RealtimeInboxParts {
  readonly db: LocalDB;
  readonly clock: HLC;
  /** Called when a message named a table or column the replica does not know yet. */
  readonly schemaMismatch: () => void;
}

/** The realtime messages of one sync loop (see the module comment). */
export class RealtimeInbox {
  readonly #parts: RealtimeInboxParts;
  /** Messages that arrived during a cycle, applied after it. */
  readonly #waiting: SyncNotification[] = [];

  constructor(parts: RealtimeInboxParts) {
    this.#parts = parts;
  }

  /**
   * Takes a message; `busy` says whether a cycle is under way. Returns true when a pull must
   * fetch what the message announced.
   */
  receive(notification: SyncNotification | undefined, busy: boolean): boolean {
    if (notification?.kind !== "deltas") return true;
    if (!busy) return !this.#apply(notification);
    // A long cycle (an initial sync) does not hoard messages: past a few, pull after it.
    if (this.#waiting.length >= MAX_WAITING) return true;
    this.#waiting.push(notification);
    return false;
  }

  /** Applies the messages kept during the cycle that just ended; true when a pull is needed. */
  drain(): boolean {
    const waiting = this.#waiting.splice(0);
    return !waiting.every((n) => this.#apply(n));
  }

  /** Applies a message that follows on the cursor; false when a pull must fetch it. */
  #apply(notification: SyncNotification): boolean {
    const applied = applyNotification(this.#parts.db, this.#parts.clock, notification);
    if (applied.ok) return applied.value;
    if (applied.error.code === "SCHEMA_MISMATCH") this.#parts.schemaMismatch();
    return false;
  }
}
