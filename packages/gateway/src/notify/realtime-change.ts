/**
 * @module notify/realtime-change
 * One group of accepted pushes as realtime subscribers receive it: each subscriber's share,
 * filtered by its sync rules with the pull's own code, so a subscriber receives exactly what a
 * pull from the cursor before the group would have given it.
 */
import { type Claims, Err, type HLCTimestamp, LakeSyncError, type Result } from "@lakesync/core";
import { encodeSyncNotification, type SyncNotification } from "@lakesync/proto";
import type { LogEntry } from "../log/log-entry.js";
import { buildPullPage } from "../read/pull-page.js";
import type { ReadPermissions, Transition } from "../read/read-permissions.js";
import type { RowStates } from "../state/row-states.js";

/** Messages above this size say only "changed": the subscriber pulls instead. */
export const DEFAULT_REALTIME_MAX_BYTES = 256 * 1024;

/** Who a realtime message is for. */
export interface Subscriber {
  /** The subscriber's verified token claims: its sync rules are judged by them. */
  readonly claims: Claims;
  /** The subscriber's client id, if it said: its own writes are left out of its messages. */
  readonly clientId?: string | undefined;
}

/** What a {@link RealtimeChange} reads. */
export interface RealtimeChangeParts {
  /** The log cursor before the group (the gateway's head, rules changes included). */
  readonly sinceHlc: HLCTimestamp;
  /** The log cursor after the group: its last entry's seq. */
  readonly serverHlc: HLCTimestamp;
  readonly entries: readonly LogEntry[];
  readonly reads: ReadPermissions;
  readonly rows: RowStates;
  /** The wall clock (ms): a subscriber whose token has expired (`exp`) receives no rows. */
  readonly now: () => number;
  /**
   * A change no message can carry (the sync rules changed at `serverHlc`): every subscriber gets
   * a bare `changed` and pulls, and its pull from before the change meets `CURSOR_EXPIRED`.
   */
  readonly bare?: boolean;
}

/**
 * The entries one group of pushes added to the log, from `sinceHlc` (exclusive) to `serverHlc`.
 * Build a subscriber's message while the listener runs: rows that entered a view are read as
 * they are at that moment, as a pull at that moment would read them.
 */
export class RealtimeChange {
  /** The log cursor the group follows on. */
  readonly sinceHlc: HLCTimestamp;
  /** The log cursor after the group. */
  readonly serverHlc: HLCTimestamp;
  readonly #parts: RealtimeChangeParts;

  constructor(parts: RealtimeChangeParts) {
    this.sinceHlc = parts.sinceHlc;
    this.serverHlc = parts.serverHlc;
    this.#parts = parts;
  }

  /** Every table the group wrote, whoever may read it (for trusted listeners, not clients). */
  get tables(): readonly string[] {
    return [...new Set(this.#parts.entries.map((e) => e.delta.table))];
  }

  /**
   * The subscriber's share of the group as a `deltas` notification: deltas of rows in its view,
   * rows that entered it (whole), evictions of rows that left it — the pull's filtering, with
   * the subscriber's own writes left out (it has them). `tables` names only tables it sees. A
   * subscriber whose token has expired, and every subscriber of a `bare` change, gets a bare
   * `changed` notification, naming nothing.
   */
  notificationFor(subscriber: Subscriber): SyncNotification {
    const { entries, reads, rows, now } = this.#parts;
    // A socket outlives its token: once the token has expired, only "changed" (the pull that
    // follows needs a valid token). A change of the sync rules is only ever "changed".
    if (this.#parts.bare || expired(subscriber.claims, now()))
      return { serverHlc: this.serverHlc, tables: [], deltas: [] };
    const transition = withoutOwnWrites(reads.transitions(subscriber.claims), subscriber.clientId);
    const page = buildPullPage(entries, transition, rows, reads.rowFilter(subscriber.claims));
    const tables = new Set<string>();
    for (const d of page.deltas) tables.add(d.table);
    for (const r of page.evicted) tables.add(r.table);
    return {
      serverHlc: this.serverHlc,
      tables: [...tables],
      deltas: page.deltas,
      kind: "deltas",
      sinceHlc: this.sinceHlc,
      ...(page.evicted.length > 0 ? { evicted: page.evicted } : {}),
    };
  }

  /**
   * The subscriber's message as bytes: its {@link RealtimeChange.notificationFor} share, or, when
   * that would exceed `maxBytes`, a `changed` notification (the subscriber pulls). `Err` only
   * if not even that can be encoded.
   */
  encodeFor(
    subscriber: Subscriber,
    maxBytes = DEFAULT_REALTIME_MAX_BYTES,
  ): Result<Uint8Array, LakeSyncError> {
    const notification = this.notificationFor(subscriber);
    const bytes = encodeSyncNotification(notification);
    if (bytes.ok && bytes.value.byteLength <= maxBytes) return bytes;
    const changed = encodeSyncNotification({
      serverHlc: this.serverHlc,
      tables: notification.tables,
      deltas: [],
    });
    if (changed.ok) return changed;
    return Err(
      new LakeSyncError("INTERNAL", "a realtime notification could not be encoded", {
        cause: changed.error,
      }),
    );
  }
}

/** Whether the token behind `claims` has expired (`exp` in seconds, as JWTs carry it). */
function expired(claims: Claims, nowMs: number): boolean {
  return typeof claims.exp === "number" && claims.exp * 1000 <= nowMs;
}

/**
 * A subscriber's own deltas of rows that stay in its view are skipped: it wrote them. Rows that
 * enter or leave its view still reach it, since its replica may not hold them whole.
 */
function withoutOwnWrites(
  transition: (entry: LogEntry) => Transition,
  clientId: string | undefined,
): (entry: LogEntry) => Transition {
  if (clientId === undefined) return transition;
  return (entry) => {
    const how = transition(entry);
    return how === "send" && entry.delta.clientId === clientId ? "skip" : how;
  };
}
