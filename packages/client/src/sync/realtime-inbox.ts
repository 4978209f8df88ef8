/**
 * @module sync/realtime-inbox
 * Realtime messages as the sync loop receives them: a message carrying deltas that follow on
 * the replica's cursor is applied at once, or kept until the cycle under way ends; anything else
 * (a bare "changed", a gap, a failed apply, too many waiting) asks for a pull. The inbox also
 * knows whether the replica is current: the subscription has been live since a completed pull
 * began, and every message since then was applied cleanly (see ADR-018).
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
  /** Whether the subscription is live (the transport said so). */
  #live = false;
  /** Whether every message since the last completed pull was applied cleanly. */
  #clean = false;
  /** Whether anything cast doubt on the replica since the pull under way began. */
  #doubtedDuringPull = false;

  constructor(parts: RealtimeInboxParts) {
    this.#parts = parts;
  }

  /**
   * Whether the replica holds everything the gateway logged up to the messages received so far:
   * the subscription is live, has been since a pull that completed, and every message since that
   * pull followed on the cursor and was applied (or was already held); messages kept during a
   * cycle count once {@link RealtimeInbox.drain} applied them. When false, only a pull can bring
   * the replica up to date.
   */
  get current(): boolean {
    return this.#live && this.#clean;
  }

  /** The transport's word on the subscription: live, or dropped (messages may be missed). */
  connection(live: boolean): void {
    this.#live = live;
    this.#doubt();
  }

  /** A pull is about to read its first page. */
  pullStarted(): void {
    this.#doubtedDuringPull = false;
  }

  /** The pull that began with {@link RealtimeInbox.pullStarted} ended (`ok`: every page applied). */
  pullEnded(ok: boolean): void {
    // A message missed while the pull ran may lie after the cursor it reached.
    if (ok && !this.#doubtedDuringPull) this.#clean = true;
    else if (!ok) this.#clean = false;
  }

  /**
   * Takes a message; `busy` says whether a cycle is under way. Returns true when a pull must
   * fetch what the message announced.
   */
  receive(notification: SyncNotification | undefined, busy: boolean): boolean {
    if (notification?.kind !== "deltas") return this.#doubt();
    if (!busy) return !this.#apply(notification);
    // A long cycle (an initial sync) does not hoard messages: past a few, pull after it.
    if (this.#waiting.length >= MAX_WAITING) return this.#doubt();
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
    if (applied.ok && applied.value) return true;
    if (!applied.ok && applied.error.code === "SCHEMA_MISMATCH") this.#parts.schemaMismatch();
    this.#doubt();
    return false;
  }

  /** The replica may be behind until a pull completes; returns true (a pull is needed). */
  #doubt(): true {
    this.#clean = false;
    this.#doubtedDuringPull = true;
    return true;
  }
}
